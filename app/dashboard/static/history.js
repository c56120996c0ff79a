// A ticket's full history, oldest first: its filing, status changes (with the reason and
// who made them, by name), assignments (team and person by name), internal notes and
// recorded reads of a protected report's text.
import { label, when } from '/dashboard/static/tickets.js'

function nameOf(id, people, fallback) {
  if (!id) return fallback
  const person = people.find((p) => p.id === id)
  return person && person.full_name ? person.full_name : 'a staff member'
}

function actor(details, id, people) {
  if (details.actor_name) return `${details.actor_name}${details.actor_role ? ` (${label(details.actor_role)})` : ''}`
  return nameOf(id, people, 'the system')
}

function entryText(entry, people) {
  const d = entry.details || {}
  if (entry.kind === 'assignment') {
    const who = d.assigned_to ? ` — ${nameOf(d.assigned_to, people, '')}` : ''
    return { kind: 'assignment',
      text: `Assigned to ${d.team_name || 'no team'}${who} by ${nameOf(entry.actor_id, people, 'the routing rules')}`,
      reason: d.reason }
  }
  if (entry.action === 'status_changed') {
    return { kind: 'status', text: `${label(d.from)} → ${label(d.to)} by ${actor(d, entry.actor_id, people)}`,
      reason: d.reason }
  }
  if (entry.action === 'decrypted_read') {
    return { kind: 'read', text: `Report text read by ${actor(d, entry.actor_id, people)}` }
  }
  return { kind: 'other', text: `${label(entry.action)} by ${actor(d, entry.actor_id, people)}` }
}

export function renderHistory(list, { ticket, history, people }) {
  const entries = [{ at: ticket.created_at, kind: 'filed', text: `Reported (${ticket.source})` }]
  for (const entry of history) entries.push({ at: entry.at, ...entryText(entry, people) })
  for (const note of ticket.notes || []) {
    entries.push({ at: note.created_at, kind: 'note',
      text: `Note by ${note.author_name || 'a staff member'}${note.author_role ? ` (${label(note.author_role)})` : ''}`,
      body: note.body ?? '(this note cannot be read)' })
  }
  entries.sort((a, b) => new Date(a.at) - new Date(b.at))
  list.replaceChildren(...entries.map((e) => {
    const li = document.createElement('li')
    li.className = `h-${e.kind}`
    li.dataset.kind = e.kind
    const time = document.createElement('time')
    time.dateTime = e.at
    time.textContent = when(e.at)
    const what = document.createElement('span')
    what.className = 'what'
    what.textContent = e.text
    li.append(time, what)
    for (const [cls, text] of [['reason', e.reason && `Reason: ${e.reason}`], ['body', e.body]]) {
      if (!text) continue
      const p = document.createElement('p')
      p.className = cls
      p.textContent = text
      li.append(p)
    }
    return li
  }))
}
