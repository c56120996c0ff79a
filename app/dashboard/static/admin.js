// Municipality set-up without SQL: teams and their members by name, service areas from a
// GeoJSON file, categories and their default teams, SLA policies, the WhatsApp number,
// staff invitations, role changes and deactivation. Every change goes through our API as
// the signed-in person, so the database's policies decide: admins everything; managers
// ordinary teams and SLA policies (the rest shows read-only for them).
import { $, el, label, startPage } from '/dashboard/static/staff.js'

const CATEGORIES = ['water', 'electricity', 'roads', 'waste', 'sanitation', 'gbv', 'other']
const ROLES = ['field_worker', 'manager', 'saps_liaison', 'admin']
const state = { page: null, teams: [], staff: [], sla: [], team: null }
window.setup = { state }

const isAdmin = () => state.page.me.role === 'admin'

async function run(action, done) {
  state.page.error('')
  state.page.notice('')
  try {
    await action()
    if (done) state.page.notice(done)
  } catch (err) {
    state.page.error(err.message)
  }
}

async function load() {
  const api = state.page.api
  const [municipality, teams, sla, staff] = await Promise.all([
    api('/api/v1/municipality'), api('/api/v1/teams'), api('/api/v1/sla-policies'),
    api('/api/v1/users?include_inactive=true')])
  Object.assign(state, { teams, sla, staff })
  // A reload never overwrites what the admin is typing (a slow first load could
  // otherwise blank a number typed meanwhile, and the next save would clear it).
  if (!$('whatsapp').dataset.dirty) $('whatsapp').value = municipality.whatsapp_number || ''
  showTeams()
  showCategories()
  showSla()
  showStaff()
  if (state.team) showTeam(teams.find((t) => t.id === state.team) || null)
}

function showTeams() {
  $('teams').replaceChildren(...state.teams.map((t) => el('li', {
    dataset: { id: t.id, name: t.name }, className: t.id === state.team ? 'selected' : '',
    onclick: () => { state.team = t.id; showTeams(); showTeam(t) },
  }, el('strong', { textContent: t.name }), t.is_saps ? ' (SAPS)' : '', t.is_active ? '' : ' (retired)',
  el('span', { className: 'meta', textContent: `${t.categories.join(', ')}${t.is_default ? ' · default' : ''}`
    + ` · ${t.members.length} member${t.members.length === 1 ? '' : 's'}`
    + ` · ${t.has_service_area ? 'service area set' : 'no service area'}` }))))
  $('invite-team').replaceChildren(el('option', { value: '', textContent: '(no team)' }),
    ...state.teams.filter((t) => t.is_active).map((t) => el('option', { value: t.id, textContent: t.name })))
}

function showTeam(t) {
  $('team').hidden = !t
  if (!t) return
  $('team').dataset.id = t.id
  $('team-title').textContent = t.name
  $('team-summary').textContent = `${t.categories.join(', ')}${t.is_default ? ' · default team' : ''}`
  const members = new Set(t.members.map((m) => m.id))
  $('members').replaceChildren(...state.staff.filter((p) => p.is_active).map((p) => el('label',
    { className: 'field-inline' }, el('input', { type: 'checkbox', value: p.id, checked: members.has(p.id) }),
    ` ${p.full_name || '(no name)'} · ${label(p.role)}`, el('br'))))
  $('area-status').textContent = t.has_service_area ? 'This team has a service area.'
    : 'No service area: it takes its categories everywhere it is the default.'
  $('area-status').dataset.set = String(t.has_service_area)
}

function showCategories() {
  $('categories').replaceChildren(...CATEGORIES.map((c) => {
    const teams = state.teams.filter((t) => t.is_active && t.categories.includes(c))
    const fallback = teams.find((t) => t.is_default)
    return el('tr', { dataset: { category: c } }, el('td', { textContent: c }),
      el('td', { textContent: fallback ? fallback.name : '—' }),
      el('td', { textContent: teams.map((t) => t.name).join(', ') || '—' }))
  }))
}

function showSla() {
  const priority = $('sla-priority').value
  const pick = (level) => Object.fromEntries(state.sla.filter((p) => p.priority === level)
    .map((p) => [p.category, p]))
  const by = pick(priority)
  const base = pick('any')
  $('sla').replaceChildren(...CATEGORIES.map((c) => el('tr', { dataset: { category: c } },
    el('td', { textContent: c }),
    el('td', {}, el('input', { type: 'number', min: '0.25', step: '0.25', className: 'respond',
      value: by[c] ? by[c].response_hours : '',
      placeholder: base[c] ? base[c].response_hours : c === 'gbv' ? '1' : '24' })),
    el('td', {}, el('input', { type: 'number', min: '0.25', step: '0.25', className: 'resolve',
      value: by[c] ? by[c].resolution_hours : '',
      placeholder: base[c] ? base[c].resolution_hours : c === 'gbv' ? '24' : '72' })))))
}

function showStaff() {
  $('staff').replaceChildren(...state.staff.map((p) => {
    const self = p.id === state.page.me.id
    const locked = !isAdmin() || self
    const role = el('select', { disabled: locked, onchange: (e) => changePerson(p, { role: e.target.value }) },
      ...ROLES.map((r) => el('option', { value: r, textContent: label(r), selected: r === p.role })))
    const active = el('button', { type: 'button', disabled: locked, className: 'toggle',
      textContent: p.is_active ? 'Deactivate' : 'Reactivate',
      onclick: () => changePerson(p, { is_active: !p.is_active }) })
    return el('tr', { dataset: { id: p.id, role: p.role, active: String(p.is_active) } },
      el('td', { textContent: p.full_name || '(no name)' }), el('td', {}, role),
      el('td', { textContent: p.teams.join(', ') }),
      el('td', {}, el('span', { textContent: p.is_active ? 'yes ' : 'no ' }), active))
  }))
}

function changePerson(person, body) {
  const what = 'role' in body ? `${person.full_name} is now ${label(body.role)}.`
    : `${person.full_name} ${body.is_active ? 'can sign in again' : 'is switched off'}.`
  if (!('role' in body) && !body.is_active && !window.confirm(`Switch ${person.full_name} off?`)) return
  run(async () => {
    await state.page.api(`/api/v1/users/${person.id}`, { method: 'PATCH', body })
    await load()
  }, what).then(() => { if ($('error').textContent) load() })
}

$('whatsapp').addEventListener('input', () => { $('whatsapp').dataset.dirty = 'true' })
$('save-whatsapp').addEventListener('click', () => run(async () => {
  const number = $('whatsapp').value.trim()
  await state.page.api('/api/v1/municipality', { method: 'PATCH',
    body: { whatsapp_number: number || null } })
  delete $('whatsapp').dataset.dirty
}, 'WhatsApp number saved.'))

$('create-team').addEventListener('click', () => run(async () => {
  const categories = [...document.querySelectorAll('#team-categories input:checked')].map((i) => i.value)
  const team = await state.page.api('/api/v1/teams', { method: 'POST', body: {
    name: $('team-name').value.trim(), categories, is_default: $('team-default').checked,
    is_saps: $('team-saps').checked } })
  state.team = team.id
  $('team-name').value = ''
  await load()
}, 'Team created.'))

$('save-members').addEventListener('click', () => run(async () => {
  const ids = [...document.querySelectorAll('#members input:checked')].map((i) => i.value)
  await state.page.api(`/api/v1/teams/${state.team}/members`, { method: 'PUT', body: { user_ids: ids } })
  await load()
}, 'Members saved.'))

$('upload-area').addEventListener('click', () => run(async () => {
  const file = $('area-file').files[0]
  if (!file) throw new Error('Choose a GeoJSON file first.')
  let area
  try { area = JSON.parse(await file.text()) } catch { throw new Error(`${file.name} is not JSON`) }
  if (area && area.type === 'FeatureCollection') {
    if (!area.features || area.features.length !== 1) {
      throw new Error('The file must hold one area (a single Feature, Polygon or MultiPolygon)')
    }
    area = area.features[0]
  }
  await state.page.api(`/api/v1/teams/${state.team}/service-area`, { method: 'PUT', body: area })
  $('area-file').value = ''
  await load()
}, 'Service area saved.'))

$('clear-area').addEventListener('click', () => run(async () => {
  await state.page.api(`/api/v1/teams/${state.team}/service-area`, { method: 'PUT', body: null })
  await load()
}, 'Service area cleared.'))

$('save-sla').addEventListener('click', () => run(async () => {
  const policies = [...document.querySelectorAll('#sla tr')].map((tr) => ({
    category: tr.dataset.category,
    priority: $('sla-priority').value,
    response_hours: Number(tr.querySelector('.respond').value),
    resolution_hours: Number(tr.querySelector('.resolve').value),
  })).filter((p) => p.response_hours || p.resolution_hours)
  await state.page.api('/api/v1/sla-policies', { method: 'PUT', body: { policies } })
  await load()
}, 'SLA policies saved.'))

$('invite').addEventListener('click', () => run(async () => {
  const body = { email: $('invite-email').value.trim(), full_name: $('invite-name').value.trim(),
    role: $('invite-role').value, ...($('invite-team').value ? { team_id: $('invite-team').value } : {}) }
  const invited = await state.page.api('/api/v1/users', { method: 'POST', body })
  $('invite-email').value = ''
  $('invite-name').value = ''
  await load()
  state.page.notice(`Invitation sent to ${invited.email}.`)
}))

$('sla-priority').addEventListener('change', showSla)
$('team-categories').append(...CATEGORIES.map((c) => el('label', {},
  el('input', { type: 'checkbox', name: 'team-category', value: c }), ` ${c} `)))
$('invite-role').append(...ROLES.map((r) => el('option', { value: r, textContent: label(r) })))

await startPage({
  roles: ['admin', 'manager'],
  audience: 'admins and managers',
  enter: async (page) => {
    state.page = page
    document.querySelectorAll('.admin-only').forEach((node) => { node.hidden = !isAdmin() })
    $('whatsapp').disabled = !isAdmin()
    $('readonly').hidden = isAdmin()
    await load()
  },
})
