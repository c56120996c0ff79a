// SAPS casework: the municipality's protected (GBV) reports for its SAPS liaisons and admins.
// The queue and each case come from our API (which decrypts the narrative for these roles
// only and records each read); new reports arrive on the private gbv:<tenant> channel,
// which the database lets only SAPS liaisons and admins join. A new report, or one whose
// 1-hour response deadline is near, raises an alert: the page badge, a sound (WebAudio)
// and a desktop notification when the browser allows it.
import { $, el, label, startPage, subscribe, when } from '/dashboard/static/staff.js'

const NEAR_MS = 15 * 60 * 1000 // "nears its deadline": 15 minutes before
const state = { page: null, cases: [], current: null, fresh: new Set(), warned: new Set() }
const alerts = { events: 0, sounds: 0, notifications: 0, last: '' }
window.casework = { state, alerts }

function beep() {
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)()
    const tone = audio.createOscillator()
    const gain = audio.createGain()
    tone.frequency.value = 880
    gain.gain.setValueAtTime(0.2, audio.currentTime)
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6)
    tone.connect(gain).connect(audio.destination)
    tone.start()
    tone.stop(audio.currentTime + 0.6)
    alerts.sounds += 1
  } catch (err) {
    alerts.last = `sound: ${err.message}`
  }
}

function notify(text) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return
  try {
    new Notification('Protected report', { body: text, tag: 'casework' }) // eslint-disable-line no-new
    alerts.notifications += 1
  } catch (err) {
    alerts.last = `notification: ${err.message}`
  }
}

// No report text ever goes into the badge or a notification: only the reference.
function raise(text) {
  alerts.events += 1
  const badge = $('alert')
  badge.textContent = text
  badge.hidden = false
  document.title = `(!) Protected reports · SALGA Trust Engine`
  beep()
  notify(text)
}

const nearDeadline = (c) => !c.acknowledged_at && c.sla_response_deadline
  && new Date(c.sla_response_deadline).getTime() - Date.now() < NEAR_MS

// The badge stays while a new report is unopened or an unacknowledged one is nearly due.
function calm() {
  if (state.fresh.size) return
  const due = state.cases.filter(nearDeadline).length
  $('alert').textContent = due ? `${due} near the 1-hour deadline` : ''
  $('alert').hidden = !due
  if (!due) document.title = 'Protected reports · SALGA Trust Engine'
}

async function loadQueue() {
  state.cases = await state.page.api('/api/v1/casework')
  $('count').textContent = `(${state.cases.length})`
  if (!state.fresh.size && !$('alert').hidden && !state.cases.some(nearDeadline)) calm()
  $('cases').replaceChildren(...state.cases.map((c) => el('li', {
    dataset: { id: c.ticket_id, fresh: String(state.fresh.has(c.ticket_id)) },
    className: [c.ticket_id === state.current ? 'selected' : '', nearDeadline(c) ? 'urgent' : '']
      .join(' ').trim(),
    onclick: () => openCase(c.ticket_id),
  }, el('strong', { textContent: c.tracking_number }),
  state.fresh.has(c.ticket_id) ? el('span', { className: 'alert', textContent: ' new ' }) : null,
  el('span', { className: 'meta', textContent: `${label(c.status)} · respond by ${when(c.sla_response_deadline)}`
    + (c.acknowledged_at ? ` · acknowledged by ${c.acknowledged_by_name || 'a colleague'}` : ' · not acknowledged') }))))
  checkDeadlines()
}

function checkDeadlines() {
  const now = Date.now()
  for (const c of state.cases) {
    if (c.acknowledged_at || !c.sla_response_deadline || state.warned.has(c.ticket_id)) continue
    const left = new Date(c.sla_response_deadline).getTime() - now
    if (left < NEAR_MS) {
      state.warned.add(c.ticket_id)
      raise(left > 0 ? `${c.tracking_number}: respond within ${Math.ceil(left / 60000)} min`
        : `${c.tracking_number}: response overdue`)
    }
  }
}

async function openCase(id) {
  state.page.error('')
  state.current = id
  state.fresh.delete(id)
  calm()
  const [ticket, casework] = await Promise.all([
    state.page.api(`/api/v1/tickets/${id}`), state.page.api(`/api/v1/tickets/${id}/casework`)])
  $('case').hidden = false
  $('case').dataset.id = id
  $('case-title').textContent = ticket.tracking_number
  $('case-status').textContent = label(ticket.status)
  $('case-status').className = `badge status-${ticket.status}`
  $('case-deadline').textContent = `respond by ${when(casework.sla_response_deadline)}`
  $('narrative').textContent = ticket.description || '(no text)'
  showCasework(casework)
  showNotes(ticket.notes || [])
  await loadQueue()
  calm()
}

function showCasework(c) {
  $('channel').textContent = label(c.channel)
  $('contact').value = c.contact_preference
  $('cas').value = c.cas_number || ''
  $('referral').value = c.referral_status
  $('acknowledge').hidden = Boolean(c.acknowledged_at)
  $('acknowledged').textContent = c.acknowledged_at
    ? `Acknowledged ${when(c.acknowledged_at)} by ${c.acknowledged_by_name || 'a colleague'}` : ''
}

function showNotes(notes) {
  $('notes').replaceChildren(...notes.map((n) => el('li', {},
    el('span', { textContent: n.body ?? '(cannot be read)' }),
    el('span', { className: 'meta', textContent: `${n.author_name || ''} · ${when(n.created_at)}` }))))
}

async function save(body, message) {
  state.page.error('')
  try {
    showCasework(await state.page.api(`/api/v1/tickets/${state.current}/casework`,
      { method: 'PATCH', body }))
    state.page.notice(message)
    await loadQueue()
  } catch (err) {
    state.page.error(`Not saved: ${err.message}`)
  }
}

$('save').addEventListener('click', () => {
  const cas = $('cas').value.trim()
  save({ contact_preference: $('contact').value, referral_status: $('referral').value,
    ...(cas ? { cas_number: cas } : {}) }, 'Casework saved.')
})
$('acknowledge').addEventListener('click', () => save({ acknowledge: true }, 'Acknowledged.'))
$('add-note').addEventListener('click', async () => {
  const body = $('note').value.trim()
  if (!body) { state.page.error('Write the note first.'); return }
  try {
    await state.page.api(`/api/v1/tickets/${state.current}/notes`, { method: 'POST', body: { body } })
    $('note').value = ''
    showNotes((await state.page.api(`/api/v1/tickets/${state.current}`)).notes || [])
    state.page.notice('Note added.')
  } catch (err) {
    state.page.error(`Note not added: ${err.message}`)
  }
})
$('notify').addEventListener('click', async () => {
  await Notification.requestPermission()
  $('notify').hidden = Notification.permission !== 'default'
})

let reload = null
function onEvent(event) {
  if (!event.id) return
  if (event.operation === 'INSERT') {
    state.fresh.add(event.id)
    raise(`New protected report ${event.tracking_number || ''}`.trim())
  }
  clearTimeout(reload)
  reload = setTimeout(() => loadQueue().catch((err) => state.page.error(err.message)), 200)
}

await startPage({
  roles: ['saps_liaison', 'admin'],
  audience: 'SAPS liaisons and admins',
  enter: async (page) => {
    state.page = page
    $('notify').hidden = !('Notification' in window) || Notification.permission !== 'default'
    await loadQueue()
    subscribe(page, [`gbv:${page.me.tenant_id}`], onEvent)
    setInterval(checkDeadlines, 30000)
  },
})
