// The ticket drawer: the report (text, address, map, photos), SLA clocks, the full history
// (status changes with reason and who, assignments, notes) and the actions a manager takes.
// Every read and change goes through our API as the signed-in person.
import {
  NEEDS_REASON, NEXT, PRIORITIES, SLA_LABELS, badge, categoryLabel, label, when,
} from '/dashboard/static/tickets.js'
import { renderHistory } from '/dashboard/static/history.js'

const $ = (id) => document.getElementById(id)
let ctx = null
let current = null
let map = null

export function setUpDrawer(context) {
  ctx = context
  $('d-close').addEventListener('click', close)
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') close() })
  $('a-status-to').addEventListener('change', () => {
    $('a-status-reason').required = NEEDS_REASON.includes($('a-status-to').value)
  })
  $('a-team').addEventListener('change', fillPeople)
  $('a-status').addEventListener('submit', act(changeStatus))
  $('a-assign').addEventListener('submit', act(assign))
  $('a-priority').addEventListener('submit', act(setPriority))
  $('a-note').addEventListener('submit', act(addNote))
  $('a-merge').addEventListener('submit', act(merge))
  const mayAssign = ['manager', 'admin', 'saps_liaison'].includes(ctx.me.role)
  $('a-assign').hidden = !mayAssign
  $('a-priority').hidden = !mayAssign
  $('a-merge').hidden = !['manager', 'admin'].includes(ctx.me.role)
  $('a-priority-to').replaceChildren(...PRIORITIES.map((p) => new Option(label(p), p)))
}

export async function open(id) {
  $('drawer').hidden = false
  document.body.classList.add('drawer-open')
  $('d-error').textContent = ''
  if (!current || current.id !== id) $('d-title').textContent = 'Loading…'
  try {
    // One after the other: reading a protected report is itself history (a recorded read).
    const detail = await ctx.api(`/api/v1/tickets/${id}`)
    const history = await ctx.api(`/api/v1/tickets/${id}/history`)
    current = detail
    render(detail, history.items)
    $('drawer').dataset.id = id
    $('drawer').dataset.status = detail.status
  } catch (err) {
    $('d-error').textContent = `Could not open the ticket: ${err.message}`
  }
}

function close() {
  $('drawer').hidden = true
  document.body.classList.remove('drawer-open')
  delete $('drawer').dataset.id
  current = null
}

function fact(name, value, cap = false) {
  const div = document.createElement('div')
  if (cap) div.className = 'cap'
  const dt = document.createElement('span')
  dt.className = 'fact-name'
  dt.textContent = name
  div.append(dt, typeof value === 'string' ? document.createTextNode(value || '—') : value)
  return div
}

function render(t, history) {
  $('d-title').textContent = t.tracking_number
  $('d-facts').replaceChildren(
    fact('Status', badge(label(t.status), `status-${t.status}`)),
    fact('Category', categoryLabel(t.category), true), fact('Priority', label(t.priority), true),
    fact('Team', t.assigned_team_name || 'Unassigned'), fact('Assignee', t.assigned_to_name || '—'),
    fact('Reported', `${when(t.created_at)} (${t.source}, ${t.language})`),
    ...(t.duplicate_of ? [fact('Merged into', original(t.duplicate_of))] : []))
  renderClocks(t)
  $('d-description').textContent = t.description ??
    (t.is_sensitive ? 'Protected report: its text is shown to SAPS liaisons and admins only.' : '—')
  $('d-address').textContent = t.address ? `Address: ${t.address}` : 'No address given'
  renderMap(t)
  renderPhotos(t.media || [])
  renderActions(t)
  renderHistory($('d-history'), { ticket: t, history, people: ctx.people })
}

// The ticket a duplicate was merged into, one click away.
function original(id) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'link'
  button.textContent = 'Open the original'
  button.addEventListener('click', () => open(id))
  return button
}

function clock(name, deadline, doneAt, doneWord) {
  const div = document.createElement('div')
  div.className = 'clock'
  if (!deadline) { div.textContent = `${name}: no deadline`; return div }
  const due = new Date(deadline)
  const end = doneAt ? new Date(doneAt) : new Date()
  const late = end > due
  const hours = Math.abs(due - end) / 3600000
  const span = hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.max(1, Math.round(hours))} h`
  div.textContent = doneAt
    ? `${name} due ${when(deadline)} — ${doneWord} ${when(doneAt)}${late ? ` (${span} late)` : ' (in time)'}`
    : `${name} due ${when(deadline)} — ${late ? `overdue by ${span}` : `${span} left`}`
  div.classList.add(late ? 'late' : 'ok')
  return div
}

function renderClocks(t) {
  $('d-clocks').replaceChildren(
    badge(SLA_LABELS[t.sla_status] || label(t.sla_status), `sla-${t.sla_status}`),
    clock('Response', t.sla_response_deadline, t.first_responded_at, 'responded'),
    clock('Resolution', t.sla_resolution_deadline, t.resolved_at || t.closed_at, 'done'))
}

// Leaflet with the configured tiles; without tiles the marker and coordinates still show.
function renderMap(t) {
  const has = t.latitude !== null && t.longitude !== null
  $('d-coords').textContent = has
    ? `Location: ${t.latitude.toFixed(5)}, ${t.longitude.toFixed(5)}` : 'No map location given'
  $('d-map').hidden = !has
  if (!has || !window.L) return
  if (!map) {
    window.L.Icon.Default.imagePath = '/vendor/images/'
    map = window.L.map('d-map', { attributionControl: Boolean(ctx.config.mapTileAttribution) })
    if (ctx.config.mapTileUrl) {
      window.L.tileLayer(ctx.config.mapTileUrl,
        { maxZoom: 19, attribution: ctx.config.mapTileAttribution || '' }).addTo(map)
    }
  }
  map.eachLayer((layer) => { if (layer instanceof window.L.Marker) layer.remove() })
  map.setView([t.latitude, t.longitude], 16)
  window.L.marker([t.latitude, t.longitude], { title: t.tracking_number, alt: 'Reported location' })
    .addTo(map).bindTooltip(`${t.latitude.toFixed(5)}, ${t.longitude.toFixed(5)}`, { permanent: true })
  setTimeout(() => map.invalidateSize(), 0)
}

function renderPhotos(media) {
  $('d-photos-title').hidden = media.length === 0
  $('d-photos').replaceChildren(...media.map((m) => {
    if (!m.url) {
      const p = document.createElement('p')
      p.className = 'hint'
      p.textContent = `A file ${m.scan_status === 'pending' ? 'is being checked' : 'did not pass its safety check'}`
      return p
    }
    const link = document.createElement('a')
    link.href = m.url
    link.target = '_blank'
    link.rel = 'noopener'
    const img = document.createElement('img')
    img.src = m.url
    img.alt = `Photo sent ${when(m.created_at)}`
    link.append(img)
    return link
  }))
}

function renderActions(t) {
  const moves = NEXT[t.status] || []
  $('a-status-to').replaceChildren(new Option('Choose…', ''),
    ...moves.map((s) => new Option(`→ ${label(s)}`, s)))
  $('a-status-reason').value = ''
  $('a-status-reason').required = false
  $('a-status').hidden = moves.length === 0
  const teams = ctx.teams.filter((team) => team.is_active && team.is_saps === t.is_sensitive)
  $('a-team').replaceChildren(new Option('Choose a team…', ''),
    ...teams.map((team) => new Option(team.name, team.id)))
  if (t.assigned_team_id) $('a-team').value = t.assigned_team_id
  fillPeople()
  if (t.assigned_to) $('a-person').value = t.assigned_to
  $('a-priority-to').value = t.priority
  $('a-merge').hidden = t.is_sensitive || t.status === 'closed' || !['manager', 'admin'].includes(ctx.me.role)
  ctx.renderReply?.(t)
}

function fillPeople() {
  const team = ctx.teams.find((tm) => tm.id === $('a-team').value)
  const members = team ? team.members : []
  $('a-person').replaceChildren(new Option('Whoever has least work', ''),
    ...members.map((m) => new Option(`${m.full_name || 'Unnamed'} (${label(m.role)})`, m.id)))
}

// Each action: run it, then show the ticket again as the API now has it.
function act(handler) {
  return async (event) => {
    event.preventDefault()
    $('d-error').textContent = ''
    const button = event.target.querySelector('button[type=submit]')
    button.disabled = true
    try {
      const done = await handler(current)
      if (done === false) return
      if (done && done.tracking_number && done.id === current.id) ctx.onChanged(done)
      await open(current.id)
      document.body.dataset.lastAction = event.target.id
    } catch (err) {
      $('d-error').textContent = err.message
    } finally {
      button.disabled = false
    }
  }
}

async function changeStatus(t) {
  const status = $('a-status-to').value
  const reason = $('a-status-reason').value.trim()
  if (NEEDS_REASON.includes(status) && !reason) throw new Error('Give a reason for this change.')
  if (!confirm(`Change ${t.tracking_number} from "${label(t.status)}" to "${label(status)}"?` +
    (reason ? `\nReason: ${reason}` : ''))) return false
  return ctx.api(`/api/v1/tickets/${t.id}/status`,
    { method: 'PATCH', body: { status, reason: reason || null } })
}

async function assign(t) {
  const body = { team_id: $('a-team').value }
  if ($('a-person').value) body.assigned_to = $('a-person').value
  return ctx.api(`/api/v1/tickets/${t.id}/assign`, { method: 'POST', body })
}

async function setPriority(t) {
  return ctx.api(`/api/v1/tickets/${t.id}`,
    { method: 'PATCH', body: { priority: $('a-priority-to').value } })
}

async function addNote(t) {
  await ctx.api(`/api/v1/tickets/${t.id}/notes`,
    { method: 'POST', body: { body: $('a-note-body').value } })
  $('a-note-body').value = ''
}

async function merge(t) {
  const wanted = $('a-merge-into').value.trim().toUpperCase()
  const page = await ctx.api(`/api/v1/tickets?q=${encodeURIComponent(wanted)}&limit=5`)
  const original = page.items.find((x) => x.tracking_number === wanted)
  if (!original) throw new Error(`No ticket ${wanted} that you can see.`)
  if (!confirm(`Merge ${t.tracking_number} into ${wanted}? ${t.tracking_number} will be closed ` +
    'and its reporter will follow the original.')) return false
  await ctx.api(`/api/v1/tickets/${t.id}/merge`, { method: 'POST', body: { into: original.id } })
  $('a-merge-into').value = ''
  ctx.onChanged({ ...t, status: 'closed' })
}
