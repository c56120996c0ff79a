// Live ticket board: the ticket API for the list, a private Realtime channel
// for changes (municipality:<tenant> for staff, gbv:<tenant> for SAPS liaisons).
import { fetchJson, renderRow, STATUSES } from '/dashboard/static/tickets.js'

const $ = (id) => document.getElementById(id)
const state = { config: null, token: null, me: null, client: null, channel: null }

async function signIn(token) {
  state.token = token
  state.me = await fetchJson(state, '/api/v1/me')
  const sensitive = state.me.role === 'saps_liaison'
  const topic = `${sensitive ? 'gbv' : 'municipality'}:${state.me.tenant_id}`
  $('who').textContent = `${state.me.municipality_name || ''} · ${state.me.role}`
  $('board-title').textContent = sensitive ? 'Sensitive reports' : 'Municipal tickets'
  $('signin').hidden = true
  $('board').hidden = false
  await loadTickets(sensitive)
  await subscribe(topic)
}

async function loadTickets(sensitive) {
  try {
    const page = await fetchJson(state, `/api/v1/tickets?limit=100${sensitive ? '&sensitive=true' : ''}`)
    for (const ticket of page.items || []) upsert(ticket)
  } catch (err) {
    showError(`Could not load tickets: ${err.message}`)
  }
}

async function subscribe(topic) {
  const { createClient } = window.supabase
  state.client = createClient(state.config.supabaseUrl, state.config.supabaseAnonKey, {
    accessToken: async () => state.token,
  })
  await state.client.realtime.setAuth(state.token)
  state.channel = state.client
    .channel(topic, { config: { private: true } })
    .on('broadcast', { event: '*' }, ({ payload }) => upsert(payload, true))
    .subscribe((status, err) => {
      $('live').textContent = status === 'SUBSCRIBED' ? 'live' : status.toLowerCase()
      $('live').className = `badge ${status === 'SUBSCRIBED' ? 'on' : 'off'}`
      document.body.dataset.realtime = status
      if (err) showError(err.message)
    })
}

function upsert(ticket, flash = false) {
  if (!ticket || !ticket.id) return
  const row = renderRow(ticket, changeStatus)
  const old = document.querySelector(`tr[data-id="${ticket.id}"]`)
  if (old) old.replaceWith(row)
  else $('tickets').prepend(row)
  if (flash) row.classList.add('flash')
}

async function changeStatus(id, status) {
  try {
    await fetchJson(state, `/api/v1/tickets/${id}/status`, { method: 'PATCH', body: { status } })
  } catch (err) {
    showError(`Status not changed: ${err.message}`)
  }
}

function showError(message) { $('error').textContent = message }

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault()
  showError('')
  try {
    await signIn($('token').value.trim())
  } catch (err) {
    showError(`Sign-in failed: ${err.message}`)
  }
})

state.config = await (await fetch('/dashboard/config.json')).json()
window.dashboard = { state, STATUSES }
