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
const SLA_LABELS = {
  on_track: 'On track',
  warning: 'Due soon',
  breached_response: 'Response overdue',
  breached_resolution: 'Resolution overdue',
}

export const label = (status) => (status || '').replace(/_/g, ' ')

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

function badge(text, className) {
  const span = document.createElement('span')
  span.className = `badge ${className}`
  span.textContent = text
  return span
}

function when(iso) {
  if (!iso) return '—'
  return new Date(iso).toLocaleString('en-ZA', { dateStyle: 'medium', timeStyle: 'short' })
}

// One table row for a ticket (as the list API returns it, merged with events).
export function renderRow(ticket, onChange) {
  const tr = document.createElement('tr')
  tr.dataset.id = ticket.id
  tr.dataset.status = ticket.status
  tr.dataset.sensitive = String(Boolean(ticket.is_sensitive))
  tr.append(cell(ticket.tracking_number, 'tracking'))

  const status = cell('', 'status')
  status.replaceChildren(badge(label(ticket.status), `status-${ticket.status}`))
  tr.append(status, cell(ticket.category === 'gbv' ? 'GBV' : label(ticket.category), 'category'), cell(ticket.priority, 'priority'))
  tr.append(cell(ticket.assigned_team_name || (ticket.assigned_team_id ? '…' : 'Unassigned'), 'team'))

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
  actions.append(select)
  tr.append(actions)
  return tr
}
