// Live ticket board: the ticket API for the list, private Realtime channels for
// changes (municipality:<tenant> for managers, team:<team> for field workers,
// gbv:<tenant> for SAPS liaisons; admins watch municipality and gbv). Configuration (Supabase URL, anon key, API base) comes
// from /dashboard/config.json, so the page runs unchanged on a Supabase project.
// Sign-in is Supabase Auth's (email + password, "forgot password" by email):
// supabase-js keeps the session in localStorage and refreshes it; every API
// call and the Realtime connection use its current access token.
import { NEEDS_REASON, fetchJson, label } from '/dashboard/static/tickets.js'
import { applyEvent, loadFirst, refreshCounts, setUpList, show } from '/dashboard/static/list.js'
import { open, setUpDrawer } from '/dashboard/static/drawer.js'
import { setUpReplies } from '/dashboard/static/replies.js'
import { loadStats, setUpStats } from '/dashboard/static/stats.js'

const $ = (id) => document.getElementById(id)
const state = { config: null, token: null, me: null, client: null, channels: [], tickets: new Map() }
const TOPICS = {
  saps_liaison: ['gbv'],
  admin: ['municipality', 'gbv'],
  manager: ['municipality'],
  field_worker: [],
}

// The current access token (supabase-js refreshes it when it is about to expire).
async function freshToken() {
  const { data } = await state.client.auth.getSession()
  state.token = data.session ? data.session.access_token : null
  return state.token
}

async function api(path, options) {
  await freshToken()
  return fetchJson(state, path, options)
}

async function fetchAuthed(path) {
  await freshToken()
  return fetch(`${state.config.apiBase}${path}`, { headers: { Authorization: `Bearer ${state.token}` } })
}

// Teams and people by name for the filters, the drawer and the history (managers and
// admins may list them; for others the menus stay short).
async function directory() {
  const [teams, people] = await Promise.all([
    api('/api/v1/teams').catch(() => []), api('/api/v1/users').catch(() => [])])
  return { teams, people }
}

async function enterBoard() {
  const me = await api('/api/v1/me')
  const kinds = TOPICS[me.role]
  if (!kinds) {
    await state.client.auth.signOut({ scope: 'local' })
    throw new Error('this board is for municipal staff')
  }
  state.me = me
  $('who').textContent = `${me.municipality_name} · ${label(me.role)}`
  $('board-title').textContent = me.role === 'saps_liaison'
    ? 'Sensitive reports (GBV)' : me.role === 'admin' ? 'All tickets' : 'Municipal tickets'
  document.body.dataset.board = me.role === 'saps_liaison' ? 'sensitive' : 'municipal'
  $('signin').hidden = true
  $('newpassword').hidden = true
  $('board').hidden = false
  $('signout').hidden = false
  $('templates-link').hidden = !['manager', 'admin'].includes(me.role)
  const context = { state, me, api, fetchAuthed, showError, changeStatus, open, config: state.config,
    onChanged: (ticket) => { show(ticket, true); refreshCounts() }, ...(await directory()) }
  setUpList(context)
  setUpDrawer(context)
  setUpStats(context)
  await Promise.all([loadFirst(), setUpReplies(context)])
  const teams = me.role === 'field_worker' ? (me.team_ids || []).map((id) => `team:${id}`) : []
  subscribe([...kinds.map((kind) => `${kind}:${me.tenant_id}`), ...teams])
}

function subscribe(topics) {
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

// The status menu on a row: closing or reopening needs a reason, so it opens the ticket;
// any other allowed move asks for a confirmation first.
async function changeStatus(id, status, select) {
  showError('')
  const ticket = state.tickets.get(id)
  if (NEEDS_REASON.includes(status)) {
    select.value = ''
    await open(id)
    $('a-status-to').value = status
    $('a-status-reason').required = true
    $('a-status-reason').focus()
    return
  }
  if (!confirm(`Change ${ticket.tracking_number} from "${label(ticket.status)}" to "${label(status)}"?`)) {
    select.value = ''
    return
  }
  select.disabled = true
  try {
    show(await api(`/api/v1/tickets/${id}/status`, { method: 'PATCH', body: { status } }))
    refreshCounts()
  } catch (err) {
    select.value = ''
    select.disabled = false
    showError(`Status not changed: ${err.message}`)
  }
}

function showView(name) {
  for (const [view, button] of [['list', 'show-list'], ['stats', 'show-stats']]) {
    $(`${view}-view`).hidden = view !== name
    $(button).classList.toggle('on', view === name)
    $(button).setAttribute('aria-pressed', String(view === name))
  }
  if (name === 'stats') loadStats()
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
  if (state.client) {
    await state.client.removeAllChannels()
    await state.client.auth.signOut()
  }
  location.reload()
}

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault()
  showError('')
  const { error } = await state.client.auth.signInWithPassword({
    email: $('email').value.trim(), password: $('password').value,
  })
  if (error) { showError(`Sign-in failed: ${error.message}`); return }
  $('password').value = ''
  try {
    await enterBoard()
  } catch (err) {
    showError(`Sign-in failed: ${err.message}`)
  }
})

$('forgot').addEventListener('click', async () => {
  showError('')
  const email = $('email').value.trim()
  if (!email) { showError('Type your email first, then choose "Forgot password?".'); return }
  const { error } = await state.client.auth.resetPasswordForEmail(email, {
    redirectTo: `${location.origin}/dashboard`,
  })
  if (error) { showError(`Could not send the email: ${error.message}`); return }
  $('notice').textContent = 'If that address has an account, a reset link is on its way.'
})

$('newpassword').addEventListener('submit', async (event) => {
  event.preventDefault()
  showError('')
  const { error } = await state.client.auth.updateUser({ password: $('new-password').value })
  if (error) { showError(`Password not changed: ${error.message}`); return }
  try {
    await enterBoard()
  } catch (err) {
    showError(`Sign-in failed: ${err.message}`)
  }
})

$('signout').addEventListener('click', signOut)
$('show-list').addEventListener('click', () => showView('list'))
$('show-stats').addEventListener('click', () => showView('stats'))

state.config = await (await fetch('/dashboard/config.json')).json()
// A password-reset or invitation link lands here with the session in the URL.
let recovering = /type=(recovery|invite)/.test(location.hash)
if (recovering) {
  $('signin').hidden = true
  $('newpassword').hidden = false
}
state.client = window.supabase.createClient(state.config.supabaseUrl, state.config.supabaseAnonKey, {
  auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true },
})
state.client.auth.onAuthStateChange((event, session) => {
  state.token = session ? session.access_token : null
  if (event === 'PASSWORD_RECOVERY') {
    recovering = true
    $('signin').hidden = true
    $('newpassword').hidden = false
  }
  // Realtime follows the refreshed token; a session that ends ends the board.
  if (event === 'TOKEN_REFRESHED' && session) state.client.realtime.setAuth(session.access_token)
  if (event === 'SIGNED_OUT' && state.me) location.reload()
})
// A session kept from an earlier visit (or just made from a reset link).
const { data: { session } } = await state.client.auth.getSession()
if (session && !recovering) {
  try {
    await enterBoard()
  } catch (err) {
    showError(`Please sign in again: ${err.message}`)
  }
}
document.body.dataset.ready = 'true'
window.dashboard = { state }
