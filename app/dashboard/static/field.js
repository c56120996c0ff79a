// The field worker's phone page: their queue (the tickets the ticket API lets them see:
// their teams'), one ticket with its address and a Leaflet map (the tile server comes from
// configuration; without tiles the marker and coordinates still show), take it on, and
// resolve it with a note and a photo. The photo goes straight to Storage through a signed
// upload URL from our API (supabase-js uploadToSignedUrl); Storage records it against the
// ticket. Live changes arrive on the teams' private channels (team:<id>).
import { $, el, label, startPage, subscribe, when } from '/dashboard/static/staff.js'

const ACTIVE = ['open', 'in_progress', 'escalated']
const state = { page: null, tickets: [], current: null, map: null }
window.field = { state }

async function loadQueue() {
  const page = await state.page.api('/api/v1/tickets?sort=deadline&limit=200')
  const me = state.page.me.id
  state.tickets = page.items.filter((t) => ACTIVE.includes(t.status))
    .sort((a, b) => Number(b.assigned_to === me) - Number(a.assigned_to === me))
  $('count').textContent = `(${state.tickets.length})`
  $('tickets').replaceChildren(...state.tickets.map((t) => el('li', {
    dataset: { id: t.id, status: t.status, mine: String(t.assigned_to === me) },
    onclick: () => openTicket(t.id),
  }, el('strong', { textContent: t.tracking_number }), ' ',
  el('span', { className: `badge sla-${t.sla_status}`, textContent: label(t.sla_status) }),
  el('span', { className: 'meta', textContent: [label(t.status), t.category,
    t.assigned_to === me ? 'yours' : t.assigned_to_name || 'not taken', t.address || '']
    .filter(Boolean).join(' · ') }))))
}

function showMap(t) {
  const has = t.latitude !== null && t.longitude !== null
  $('coords').textContent = has ? `${t.latitude.toFixed(5)}, ${t.longitude.toFixed(5)}`
    : 'No map location given'
  $('map').hidden = !has
  if (!has || !window.L) return
  if (!state.map) {
    window.L.Icon.Default.imagePath = '/vendor/images/'
    const { mapTileUrl, mapTileAttribution } = state.page.config
    state.map = window.L.map('map', { attributionControl: Boolean(mapTileAttribution) })
    if (mapTileUrl) {
      window.L.tileLayer(mapTileUrl, { maxZoom: 19, attribution: mapTileAttribution || '' })
        .addTo(state.map)
    }
  }
  state.map.eachLayer((layer) => { if (layer instanceof window.L.Marker) layer.remove() })
  state.map.setView([t.latitude, t.longitude], 16)
  window.L.marker([t.latitude, t.longitude], { title: t.tracking_number, alt: 'Reported location' })
    .addTo(state.map)
  setTimeout(() => state.map.invalidateSize(), 0)
}

function showPhotos(media) {
  $('photos').replaceChildren(...media.map((m) => (m.url
    ? el('img', { src: m.url, alt: 'Photo of the report' })
    : el('p', { className: 'hint', textContent: `A photo ${m.scan_status === 'pending'
      ? 'is being checked' : 'did not pass its safety check'}` }))))
}

async function openTicket(id) {
  state.page.error('')
  const t = await state.page.api(`/api/v1/tickets/${id}`)
  state.current = t
  $('queue').hidden = true
  $('ticket').hidden = false
  $('ticket').dataset.id = t.id
  $('ticket').dataset.status = t.status
  $('t-title').textContent = t.tracking_number
  $('t-status').textContent = label(t.status)
  $('t-status').className = `badge status-${t.status}`
  $('t-category').textContent = t.category
  $('t-sla').textContent = `${label(t.sla_status)} · resolve by ${when(t.sla_resolution_deadline)}`
  $('t-sla').className = `badge sla-${t.sla_status}`
  const mine = t.assigned_to === state.page.me.id
  $('t-assignee').textContent = mine ? 'Assigned to you'
    : t.assigned_to_name ? `Assigned to ${t.assigned_to_name}` : 'Not taken yet'
  $('t-description').textContent = t.description || ''
  $('address').textContent = t.address || 'No address given'
  $('take').hidden = mine && t.status !== 'open'
  $('resolve').hidden = !(mine && ['in_progress', 'escalated'].includes(t.status))
  showMap(t)
  showPhotos(t.media || [])
  window.scrollTo(0, 0)
}

function backToQueue() {
  $('ticket').hidden = true
  $('queue').hidden = false
  loadQueue().catch((err) => state.page.error(err.message))
}

$('back').addEventListener('click', backToQueue)
$('take').addEventListener('click', async () => {
  state.page.error('')
  try {
    await state.page.api(`/api/v1/tickets/${state.current.id}/take`, { method: 'POST' })
    state.page.notice('It is yours: work has started.')
    await openTicket(state.current.id)
  } catch (err) {
    state.page.error(`Not taken: ${err.message}`)
  }
})

// Photo first (so a failed upload leaves the ticket open), then the note, then the status.
async function uploadPhoto(ticketId, file) {
  const plan = await state.page.api('/api/v1/uploads', { method: 'POST', body: {
    purpose: 'evidence', ticket_id: ticketId, filename: file.name,
    content_type: file.type || 'application/octet-stream', size: file.size } })
  const { error } = await state.page.client.storage.from(plan.bucket)
    .uploadToSignedUrl(plan.path, plan.token, file, { contentType: file.type })
  if (error) throw new Error(`photo: ${error.message}`)
}

$('resolve').addEventListener('submit', async (event) => {
  event.preventDefault()
  state.page.error('')
  const note = $('resolve-note').value.trim()
  if (!note) { state.page.error('Say what was done before resolving.'); return }
  const button = $('resolve').querySelector('button')
  button.disabled = true
  const id = state.current.id
  try {
    const file = $('photo').files[0]
    if (file) await uploadPhoto(id, file)
    await state.page.api(`/api/v1/tickets/${id}/notes`, { method: 'POST', body: { body: note } })
    await state.page.api(`/api/v1/tickets/${id}/status`,
      { method: 'PATCH', body: { status: 'resolved', reason: note } })
    $('resolve-note').value = ''
    $('photo').value = ''
    state.page.notice(`Resolved ${state.current.tracking_number}${file ? ' with a photo' : ''}.`)
    await openTicket(id)
  } catch (err) {
    state.page.error(`Not resolved: ${err.message}`)
  } finally {
    button.disabled = false
  }
})

let reload = null
function onEvent() {
  clearTimeout(reload)
  reload = setTimeout(() => { if (!$('queue').hidden) loadQueue().catch(() => {}) }, 300)
}

await startPage({
  roles: ['field_worker', 'manager', 'admin'],
  audience: 'field workers, managers and admins',
  enter: async (page) => {
    state.page = page
    await loadQueue()
    const topics = page.me.role === 'field_worker'
      ? (page.me.team_ids || []).map((id) => `team:${id}`) : [`municipality:${page.me.tenant_id}`]
    if (topics.length) subscribe(page, topics, onEvent)
    else document.body.dataset.realtime = 'NO_TEAM'
  },
})
