// Live ticket board: the ticket API for the list, private Realtime channels for
// changes (municipality:<tenant> for managers, team:<team> for field workers,
// gbv:<tenant> for SAPS liaisons; admins watch municipality and gbv). Configuration (Supabase URL, anon key, API base) comes
// from /dashboard/config.json, so the page runs unchanged on a Supabase project.
import { fetchJson, label, renderRow } from '/dashboard/static/tickets.js'

const $ = (id) => document.getElementById(id)
const state = { config: null, token: null, me: null, client: null, channels: [], tickets: new Map() }
const TOPICS = {
  saps_liaison: ['gbv'],
  admin: ['municipality', 'gbv'],
  manager: ['municipality'],
  field_worker: [],
}
let reloadTimer = null

async function signIn(token) {
  state.token = token
  const me = await fetchJson(state, '/api/v1/me')
  const kinds = TOPICS[me.role]
  if (!kinds) throw new Error('this board is for municipal staff')
  state.me = me
  $('who').textContent = `${me.municipality_name} · ${label(me.role)}`
  $('board-title').textContent = me.role === 'saps_liaison'
    ? 'Sensitive reports (GBV)' : me.role === 'admin' ? 'All tickets' : 'Municipal tickets'
  document.body.dataset.board = me.role === 'saps_liaison' ? 'sensitive' : 'municipal'
  $('signin').hidden = true
  $('board').hidden = false
  $('signout').hidden = false
  await loadTickets()
  const teams = me.role === 'field_worker' ? (me.team_ids || []).map((id) => `team:${id}`) : []
  subscribe([...kinds.map((kind) => `${kind}:${me.tenant_id}`), ...teams])
}

async function loadTickets() {
  try {
    const page = await fetchJson(state, '/api/v1/tickets?limit=200')
    state.tickets = new Map(page.items.map((ticket) => [ticket.id, ticket]))
    $('tickets').replaceChildren(...page.items.map((ticket) => renderRow(ticket, changeStatus)))
    summarise()
  } catch (err) {
    showError(`Could not load tickets: ${err.message}`)
  }
}

function scheduleReload() {
  clearTimeout(reloadTimer)
  reloadTimer = setTimeout(loadTickets, 300)
}

function subscribe(topics) {
  const { createClient } = window.supabase
  state.client = createClient(state.config.supabaseUrl, state.config.supabaseAnonKey, {
    accessToken: async () => state.token,
    auth: { persistSession: false, autoRefreshToken: false },
  })
  state.client.realtime.setAuth(state.token)
  const statuses = {}
  for (const topic of topics) {
    const channel = state.client
      .channel(topic, { config: { private: true } })
      .on('broadcast', { event: 'ticket_changed' }, ({ payload }) => applyEvent(payload))
      .on('system', {}, (msg) => { if (msg.status === 'error') showError(`Live updates stopped: ${msg.message}`) })
      .subscribe((status, err) => {
        statuses[topic] = status
        showLive(Object.values(statuses), topics.length)
        if (err) showError(`Live updates: ${err.message}`)
      })
    state.channels.push(channel)
  }
}

// A channel event carries id, status, category, team id and SLA status only.
function applyEvent(event) {
  if (!event || !event.id) return
  const known = state.tickets.get(event.id)
  if (event.operation === 'LEFT_TEAM') { if (known) scheduleReload(); return } // no longer ours
  if (!known) { scheduleReload(); return } // new to us: the API decides if we may see it
  const { operation, ...fields } = event
  const ticket = { ...known, ...fields, updated_at: new Date().toISOString() }
  if (ticket.assigned_team_id !== known.assigned_team_id) {
    ticket.assigned_team_name = null
    scheduleReload() // the API knows the new team's name
  }
  show(ticket, true)
}

function show(ticket, flash = false) {
  state.tickets.set(ticket.id, ticket)
  const row = renderRow(ticket, changeStatus)
  const old = document.querySelector(`tr[data-id="${ticket.id}"]`)
  if (old) old.replaceWith(row)
  else $('tickets').prepend(row)
  if (flash) row.classList.add('flash')
  summarise()
}

async function changeStatus(id, status, select) {
  showError('')
  select.disabled = true
  try {
    show(await fetchJson(state, `/api/v1/tickets/${id}/status`, { method: 'PATCH', body: { status } }))
  } catch (err) {
    select.value = ''
    select.disabled = false
    showError(`Status not changed: ${err.message}`)
  }
}

function summarise() {
  const all = [...state.tickets.values()]
  const active = all.filter((t) => !['resolved', 'closed'].includes(t.status))
  const overdue = active.filter((t) => (t.sla_status || '').startsWith('breached')).length
  $('summary').textContent = `${all.length} tickets · ${active.length} active · ${overdue} overdue`
}

function showLive(statuses, wanted) {
  const live = statuses.length === wanted && statuses.every((s) => s === 'SUBSCRIBED')
  const bad = statuses.find((s) => s !== 'SUBSCRIBED')
  $('live').textContent = live ? 'live' : label((bad || 'connecting').toLowerCase())
  $('live').className = `badge ${live ? 'on' : 'off'}`
  document.body.dataset.realtime = live ? 'SUBSCRIBED' : (bad || 'CONNECTING')
}

function showError(message) { $('error').textContent = message }

async function signOut() {
  if (state.client) await state.client.removeAllChannels()
  location.reload()
}

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault()
  showError('')
  try {
    await signIn($('token').value.trim())
  } catch (err) {
    state.token = null
    showError(`Sign-in failed: ${err.message}`)
  }
})
$('signout').addEventListener('click', signOut)

state.config = await (await fetch('/dashboard/config.json')).json()
document.body.dataset.ready = 'true'
window.dashboard = { state }
