// Rendering and API calls for the ticket board (no personal data is shown:
// the list API and the channel payloads carry no description or reporter).

// The ticket API's statuses and the transitions it accepts (others are a 409).
export const STATUSES = ['open', 'in_progress', 'escalated', 'resolved', 'closed']
export const NEXT = {
  open: ['in_progress', 'escalated', 'closed'],
  in_progress: ['escalated', 'resolved', 'closed'],
  escalated: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: ['open'],
}
// Moves that end or reopen a ticket's life: the page asks for a reason and a confirmation.
export const NEEDS_REASON = ['closed', 'open']
export const CATEGORIES = ['water', 'electricity', 'roads', 'waste', 'sanitation', 'other', 'gbv']
export const PRIORITIES = ['low', 'normal', 'high', 'urgent']
const HEADINGS = ['Tracking no.', 'Status', 'Category', 'Priority', 'Team', 'SLA', 'Last change',
  'Change status']
export const SLA_LABELS = {
  on_track: 'On track',
  warning: 'Due soon',
  breached_response: 'Response overdue',
  breached_resolution: 'Resolution overdue',
}

export const label = (status) => (status || '').replace(/_/g, ' ')
export const categoryLabel = (category) => category === 'gbv' ? 'GBV' : label(category)

export async function fetchJson(state, path, { method = 'GET', body } = {}) {
  const response = await fetch(`${state.config.apiBase}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${state.token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    const detail = Array.isArray(data.detail)
      ? data.detail.map((d) => d.msg).join('; ')
      : data.detail || data.message
    throw new Error(detail || `HTTP ${response.status}`)
  }
  return data
}

function cell(text, className) {
  const td = document.createElement('td')
  td.textContent = text || '—'
  if (className) td.className = className
  return td
}

function small(text) {
  const el = document.createElement('small')
  el.className = 'assignee'
  el.textContent = text
  return el
}

export function badge(text, className) {
  const span = document.createElement('span')
  span.className = `badge ${className}`
  span.textContent = text
  return span
}

export function when(iso) {
  if (!iso) return '—'
  return new Date(iso).toLocaleString('en-ZA', { dateStyle: 'medium', timeStyle: 'short' })
}

// One table row for a ticket (as the list API returns it, merged with events); a click
// on the row (not on its status menu) opens the ticket.
export function renderRow(ticket, onChange, onOpen) {
  const tr = document.createElement('tr')
  tr.dataset.id = ticket.id
  tr.tabIndex = 0
  if (onOpen) {
    tr.addEventListener('click', (event) => { if (!event.target.closest('select')) onOpen(ticket.id) })
    tr.addEventListener('keydown', (event) => { if (event.key === 'Enter' && event.target === tr) onOpen(ticket.id) })
  }
  tr.dataset.status = ticket.status
  tr.dataset.sensitive = String(Boolean(ticket.is_sensitive))
  tr.append(cell(ticket.tracking_number, 'tracking'))

  const status = cell('', 'status')
  status.replaceChildren(badge(label(ticket.status), `status-${ticket.status}`))
  tr.append(status, cell(categoryLabel(ticket.category), 'category'), cell(ticket.priority, 'priority'))
  const team = cell(ticket.assigned_team_name || (ticket.assigned_team_id ? '…' : 'Unassigned'), 'team')
  if (ticket.assigned_to_name) team.append(document.createElement('br'), small(ticket.assigned_to_name))
  tr.append(team)

  const sla = cell('', 'sla')
  sla.replaceChildren(badge(SLA_LABELS[ticket.sla_status] || ticket.sla_status || '—',
    `sla-${ticket.sla_status}`))
  sla.title = ticket.sla_resolution_deadline ? `Resolve by ${when(ticket.sla_resolution_deadline)}` : ''
  tr.append(sla, cell(when(ticket.updated_at || ticket.created_at), 'updated'))

  const select = document.createElement('select')
  select.className = 'change-status'
  select.setAttribute('aria-label', `Change status of ${ticket.tracking_number}`)
  select.append(new Option(`${label(ticket.status)} (now)`, '', true, true))
  for (const next of NEXT[ticket.status] || []) select.append(new Option(`→ ${label(next)}`, next))
  select.addEventListener('change', () => {
    if (select.value) onChange(ticket.id, select.value, select)
  })
  const actions = document.createElement('td')
  actions.className = 'act'
  actions.append(select)
  tr.append(actions)
  HEADINGS.forEach((heading, i) => { tr.children[i].dataset.label = heading })
  return tr
}
