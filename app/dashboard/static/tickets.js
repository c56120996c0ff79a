// Rendering and API calls for the ticket board (no personal data is shown).
export const STATUSES = ['open', 'assigned', 'in_progress', 'escalated', 'resolved', 'closed']

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
  if (!response.ok) throw new Error(data.detail || data.message || `HTTP ${response.status}`)
  return data
}

function cell(text, className) {
  const td = document.createElement('td')
  td.textContent = text ?? '—'
  if (className) td.className = className
  return td
}

export function renderRow(ticket, onChange) {
  const tr = document.createElement('tr')
  tr.dataset.id = ticket.id
  tr.dataset.status = ticket.status
  tr.append(
    cell(ticket.tracking_number, 'tracking'),
    cell(ticket.status, 'status'),
    cell(ticket.category, 'category'),
    cell(ticket.assigned_team_name || ticket.assigned_team_id, 'team'),
  )
  const sla = cell(ticket.sla_status, 'sla')
  sla.firstChild && sla.classList.add('badge', `sla-${ticket.sla_status}`)
  tr.append(sla)
  const select = document.createElement('select')
  select.setAttribute('aria-label', `Status of ${ticket.tracking_number}`)
  for (const status of STATUSES) {
    const option = new Option(status.replace('_', ' '), status, false, status === ticket.status)
    select.append(option)
  }
  select.addEventListener('change', () => onChange(ticket.id, select.value))
  const actions = document.createElement('td')
  actions.append(select)
  tr.append(actions)
  return tr
}
