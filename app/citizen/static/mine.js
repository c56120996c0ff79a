// "My reports" (each with its status history and photos) and "My data" (consents given and
// withdrawn, asking for my data, and opening the export that lists who accessed it).
import { $, api, element, failed, info, onShow, state, statusWord, t, when } from './common.js'

const PURPOSES = ['privacy_notice', 'progress_updates', 'other_messages', 'saps_referral']
const OPTIONAL = ['progress_updates', 'other_messages']

function history(tracked) {
  const steps = [{ status: 'open', at: tracked.created_at }, ...tracked.history]
  return element('ol', { className: 'history' }, ...steps.map((s) =>
    element('li', { dataset: { status: s.status } }, `${statusWord(s.status)} · ${when(s.at)}`)))
}

async function card(ticket) {
  const [tracked, detail] = await Promise.all([
    api(`/api/v1/track/${encodeURIComponent(ticket.tracking_number)}`),
    api(`/api/v1/tickets/${ticket.id}`),
  ])
  // Each checked photo by a short-lived signed URL (asked per photo: the media API gives it
  // for the address this page was reached on).
  const urls = await Promise.all(detail.media.filter((m) => m.scan_status === 'clean')
    .map((m) => api(`/api/v1/media/${m.id}/url`)))
  const photos = urls.map((m) => element('img', { src: m.url, alt: '', className: 'photo' }))
  return element('li', { dataset: { ref: ticket.tracking_number, status: ticket.status } },
    element('h3', {}, element('a', { href: `/track/${encodeURIComponent(ticket.tracking_number)}`,
      textContent: ticket.tracking_number })),
    element('p', { textContent: `${t(ticket.category)} · ${statusWord(ticket.status)}` }),
    element('p', { className: 'muted', textContent: detail.description || '' }),
    history(tracked),
    element('div', { className: 'photos' }, ...photos))
}

async function loadReports() {
  const page = await api('/api/v1/tickets?limit=50')
  const cards = await Promise.all(page.items.map(card))
  $('my-reports').replaceChildren(...(cards.length ? cards : [element('li', { textContent: t('none') })]))
}

function consentItem(purpose, records) {
  const current = records.find((r) => r.purpose === purpose && r.consented && !r.withdrawn_at)
  const last = records.find((r) => r.purpose === purpose)
  const status = current ? t('given') : last ? t('withdrawn') : '—'
  const item = element('li', { dataset: { purpose, given: String(Boolean(current)) } },
    element('span', { textContent: `${t(purpose === 'privacy_notice' ? 'notice_read' : purpose)}: ` }),
    element('strong', { textContent: status }), ' ')
  if (OPTIONAL.includes(purpose)) {
    const button = element('button', { type: 'button', className: 'secondary',
      textContent: current ? t('withdraw') : t('give') })
    button.addEventListener('click', () => toggle(purpose, Boolean(current)).catch(failed))
    item.append(button)
  }
  return item
}

async function toggle(purpose, given) {
  if (given) await api(`/api/v1/me/consents/${purpose}`, { method: 'DELETE' })
  else {
    await api('/api/v1/me/consents', { method: 'POST', body: {
      purpose, notice_version: state.notice.version, language: state.notice.language } })
  }
  await loadData()
}

async function loadData() {
  const [records, requests] = await Promise.all([api('/api/v1/me/consents'), api('/api/v1/me/data-requests')])
  records.sort((a, b) => (a.created_at < b.created_at ? 1 : -1))  // newest first
  $('consents').replaceChildren(...PURPOSES.filter((p) => OPTIONAL.includes(p) ||
    records.some((r) => r.purpose === p)).map((p) => consentItem(p, records)))
  $('requests').replaceChildren(...(requests.length ? requests.map((r) => element('li',
    { dataset: { reference: r.reference, kind: r.kind } },
    `${r.reference} · ${t(`kind_${r.kind}`)} · ${t(`request_${r.status}`)} · ${t('due')} ${when(r.due_at)}`)) : [element('li', { textContent: t('none') })]))
}

async function askForData() {
  const made = await api('/api/v1/me/data-requests', { method: 'POST', body: { kind: 'access' } })
  info(t('asked', { ref: made.reference, date: when(made.due_at) }))
  await loadData()
}

// The export is a page of its own; shown here in a sandboxed frame (no scripts), and offered
// as a file to keep.
async function openExport() {
  const html = await api('/api/v1/me/export.html', { raw: true })
  $('export').srcdoc = html
  $('export').hidden = false
  const link = $('download-export')
  if (link.href) URL.revokeObjectURL(link.href)
  link.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }))
  link.hidden = false
}

export function install() {
  onShow('mine', loadReports)
  onShow('data', loadData)
  $('ask-data').addEventListener('click', () => askForData().catch(failed))
  $('open-export').addEventListener('click', () => openExport().catch(failed))
}
