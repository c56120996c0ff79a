// The ticket list: server-side filters, search, sort and keyset pages ("Load more" walks
// through every ticket, no cap); counts from /api/v1/stats (never from the loaded rows);
// CSV export of the current filter; realtime events kept in step with the filter.
import {
  CATEGORIES, PRIORITIES, SLA_LABELS, STATUSES, categoryLabel, label, renderRow,
} from '/dashboard/static/tickets.js'

const $ = (id) => document.getElementById(id)
const PAGE = 50
const FIELDS = ['q', 'status', 'category', 'assigned_team_id', 'assigned_to', 'priority',
  'sla_status', 'created_from', 'created_to', 'sort']
let ctx = null
const checking = new Map()

function options(select, pairs) {
  select.replaceChildren(select.options[0], ...pairs.map(([value, text]) => new Option(text, value)))
}

// Fill the filter menus (teams and people by name) and restore a filter kept in the URL.
export function setUpList(context) {
  ctx = context
  const { me, teams, people } = ctx
  options($('f-status'), STATUSES.map((s) => [s, label(s)]))
  const categories = me.role === 'manager' || me.role === 'field_worker'
    ? CATEGORIES.filter((c) => c !== 'gbv') : CATEGORIES
  options($('f-category'), categories.map((c) => [c, categoryLabel(c)]))
  options($('f-team'), teams.map((t) => [t.id, t.name]))
  options($('f-assignee'), people.map((p) => [p.id, p.full_name || 'Unnamed']))
  options($('f-priority'), PRIORITIES.map((p) => [p, label(p)]))
  options($('f-sla'), Object.entries(SLA_LABELS))
  const kept = new URLSearchParams(location.search)
  for (const element of $('filters').elements) {
    if (element.name && kept.has(element.name)) element.value = kept.get(element.name)
  }
  // On a phone the filters start folded (the list comes first); a filter in use shows.
  if (window.matchMedia('(max-width: 700px)').matches) $('filter-box').open = false
  $('filters').addEventListener('submit', (event) => { event.preventDefault(); loadFirst() })
  $('clear-filters').addEventListener('click', () => { $('filters').reset(); loadFirst() })
  $('more').addEventListener('click', loadMore)
  $('export').addEventListener('click', exportCsv)
}

// The filter as query parameters; dates are whole local days (to = through that day).
export function filterParams() {
  const params = new URLSearchParams()
  for (const element of $('filters').elements) {
    if (!element.name || !element.value) continue
    let value = element.value.trim()
    if (!value) continue
    if (element.name === 'created_from') value = new Date(`${value}T00:00`).toISOString()
    if (element.name === 'created_to') {
      const end = new Date(`${value}T00:00`)
      end.setDate(end.getDate() + 1)
      value = end.toISOString()
    }
    params.set(element.name, value)
  }
  return params
}

function keepInUrl() {
  const kept = new URLSearchParams()
  for (const element of $('filters').elements) {
    if (FIELDS.includes(element.name) && element.value) kept.set(element.name, element.value)
  }
  const active = [...kept.keys()].filter((name) => name !== 'sort').length
  $('filter-count').textContent = active ? `(${active} in use)` : ''
  const query = kept.toString()
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`)
}

export async function loadFirst() {
  keepInUrl()
  ctx.state.tickets = new Map()
  ctx.state.cursor = null
  $('tickets').replaceChildren()
  document.body.dataset.listLoaded = 'false'
  await Promise.all([loadPage(), refreshCounts()])
}

async function loadMore() {
  $('more').disabled = true
  await loadPage()
  $('more').disabled = false
}

async function loadPage() {
  const params = filterParams()
  params.set('limit', String(PAGE))
  if (ctx.state.cursor) params.set('cursor', ctx.state.cursor)
  try {
    const page = await ctx.api(`/api/v1/tickets?${params}`)
    for (const ticket of page.items) {
      if (ctx.state.tickets.has(ticket.id)) continue
      ctx.state.tickets.set(ticket.id, ticket)
      $('tickets').append(row(ticket))
    }
    ctx.state.cursor = page.next_cursor
    $('more').hidden = !page.next_cursor
    const n = ctx.state.tickets.size
    $('loaded').textContent = n === 0 ? 'No ticket matches this filter.'
      : `Showing ${n} ticket${n === 1 ? '' : 's'}${page.next_cursor ? ' — more below' : ' (all that match)'}`
    document.body.dataset.listLoaded = 'true'
  } catch (err) {
    ctx.showError(`Could not load tickets: ${err.message}`)
  }
}

// True figures for the whole municipality (as the caller may see it), from the statistics API.
export async function refreshCounts() {
  const to = new Date()
  const from = new Date(to.getTime() - 365 * 86400000)
  try {
    const stats = await ctx.api(`/api/v1/stats?from=${encodeURIComponent(from.toISOString())}` +
      `&to=${encodeURIComponent(to.toISOString())}`)
    const done = (stats.by_status.resolved || 0) + (stats.by_status.closed || 0)
    $('summary').textContent = `${stats.total} reported in the past year · ` +
      `${stats.total - done} active · ${stats.overdue_now} overdue now`
  } catch (err) {
    $('summary').textContent = ''
  }
}

function row(ticket) {
  return renderRow(ticket, ctx.changeStatus, ctx.open)
}

// Put a ticket on the board (replacing its row) or take it off.
export function show(ticket, flash = false) {
  ctx.state.tickets.set(ticket.id, ticket)
  const fresh = row(ticket)
  const old = document.querySelector(`#tickets tr[data-id="${ticket.id}"]`)
  if (old) old.replaceWith(fresh)
  else $('tickets').prepend(fresh)
  if (flash) fresh.classList.add('flash')
}

function drop(id) {
  ctx.state.tickets.delete(id)
  const old = document.querySelector(`#tickets tr[data-id="${id}"]`)
  if (old) old.remove()
}

// Tracking numbers the list's search finds exactly (protected reports carry random ones).
const SEARCHABLE = /^[A-Za-z]{2,8}-[0-9]{4}(-[0-9]{1,6})?$/
const EVENT_FIELDS = ['status', 'category', 'assigned_team_id', 'sla_status']

// Whether the fields an event carries agree with the filter (the others: the API decides).
function agrees(event) {
  return EVENT_FIELDS.every((name) => {
    const wanted = $('filters').elements[name]?.value
    return !wanted || !(name in event) || event[name] === wanted
  })
}

// A channel event (id, tracking number, status, category, team id, SLA only): a known row
// changes at once, a ticket whose fields leave the filter leaves the board; then the list
// API, with the current filter, says whether the ticket belongs on this board (and gives
// the names the event does not carry).
export function applyEvent(event) {
  if (!event || !event.id) return
  const known = ctx.state.tickets.get(event.id)
  clearTimeout(ctx.state.countsTimer)
  ctx.state.countsTimer = setTimeout(refreshCounts, 500)
  if (event.operation === 'LEFT_TEAM' || !agrees(event)) { if (known) drop(event.id); return }
  if (known) {
    const { operation, tracking_number: _, ...fields } = event
    const moved = fields.assigned_team_id !== known.assigned_team_id
    const team = ctx.teams.find((t) => t.id === fields.assigned_team_id)
    show({ ...known, ...fields, ...(moved ? { assigned_team_name: team ? team.name : null } : {}),
      updated_at: new Date().toISOString() }, true)
  }
  if (event.tracking_number && SEARCHABLE.test(event.tracking_number)) {
    recheck(event.id, event.tracking_number, !known)
  } else if (!known) {
    refreshHead()
  }
}

function later(key, run) {
  clearTimeout(checking.get(key))
  checking.set(key, setTimeout(() => { checking.delete(key); run() }, 250))
}

function recheck(id, trackingNumber, isNew) {
  if ($('f-q').value.trim()) return // a search is on: the row above is updated, none added
  later(id, async () => {
    const params = filterParams()
    params.set('q', trackingNumber)
    params.set('limit', '5')
    try {
      const page = await ctx.api(`/api/v1/tickets?${params}`)
      const match = page.items.find((t) => t.id === id)
      if (match) show(match, isNew)
      else drop(id)
    } catch (err) { /* the next event or reload tries again */ }
  })
}

// A ticket new to this board that cannot be looked up by number: the first page of the
// filter brings it if it belongs at the top; rows already shown stay where they are.
function refreshHead() {
  later('head', async () => {
    const params = filterParams()
    params.set('limit', String(PAGE))
    try {
      const page = await ctx.api(`/api/v1/tickets?${params}`)
      for (const ticket of page.items.slice().reverse()) {
        if (!ctx.state.tickets.has(ticket.id)) show(ticket, true)
      }
    } catch (err) { /* the next event or reload tries again */ }
  })
}

// The current filter as a CSV file (streamed by the API, RLS-scoped), saved by the browser.
async function exportCsv() {
  ctx.showError('')
  $('export').disabled = true
  try {
    const params = filterParams()
    const response = await ctx.fetchAuthed(`/api/v1/tickets/export.csv?${params}`)
    if (!response.ok) throw new Error((await response.json().catch(() => ({}))).detail || `HTTP ${response.status}`)
    const url = URL.createObjectURL(await response.blob())
    const link = document.createElement('a')
    link.href = url
    link.download = `tickets-${new Date().toISOString().slice(0, 10)}.csv`
    document.body.append(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10000)
  } catch (err) {
    ctx.showError(`Export failed: ${err.message}`)
  } finally {
    $('export').disabled = false
  }
}
