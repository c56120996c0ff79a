// The message library editor: pick a message and language, see the approved text,
// write a new version with a live preview, save it as a draft (managers, admins)
// and approve it (admins). Everything goes through /api/v1/templates as the user.
const $ = (id) => document.getElementById(id)
const SAMPLES = {
  municipality: 'City of Example', tracking_number: 'DEMO-2026-000123', version: '3',
  status: 'being worked on', max: '5', count: '2', photos: '1', category: 'Water',
  description: 'Burst pipe on the corner', place: '12 Main Road',
  emergency: 'If you are in danger right now, call 10111 (SAPS).',
  contact: 'privacy@example.gov.za', reference: 'DSR-1A2B3C4D5E', due_date: '2026-12-23',
  number: '4', languages: 'Reply 1 for English\nPhendula ngo-4 ukuze ufumane isiXhosa',
}
let client = null
let role = ''
let library = { keys: [], templates: [], languages: [] }

// Every call carries the current Supabase session's token (supabase-js refreshes it).
async function api (path, options = {}) {
  const { data } = await client.auth.getSession()
  const token = data.session ? data.session.access_token : ''
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  })
  const body = response.status === 204 ? {} : await response.json()
  if (!response.ok) throw new Error(body.detail || `HTTP ${response.status}`)
  return body
}

function say (message, isError = false) {
  $('error').textContent = isError ? message : ''
  $('status').textContent = isError ? '' : message
}

function chosen () {
  const key = $('key').value
  const language = $('language').value
  const versions = library.templates.filter((t) => t.key === key && t.language === language)
  return { key, language, versions }
}

async function preview () {
  const body = $('body').value
  if (!body.trim()) { $('preview').textContent = ''; return }
  try {
    const shown = await api('/api/v1/templates/preview',
      { method: 'POST', body: JSON.stringify({ body, values: SAMPLES }) })
    $('preview').textContent = shown.text
  } catch (err) { say(err.message, true) }
}

function show () {
  const { key, versions } = chosen()
  const spec = library.keys.find((k) => k.key === key)
  $('variables').innerHTML = (spec ? spec.variables : []).map((v) => `<code>{${v}}</code>`).join('')
  const current = versions.find((t) => t.status === 'approved' && t.tenant_id) ||
    versions.find((t) => t.status === 'approved')
  $('current').textContent = current ? current.body : '(none)'
  if (!$('body').value || $('body').dataset.key !== key + $('language').value) {
    $('body').value = current ? current.body : ''
    $('body').dataset.key = key + $('language').value
  }
  $('versions').innerHTML = versions.map((t) => `<tr data-id="${t.id}" data-status="${t.status}">` +
    `<td>${t.version}</td><td>${t.tenant_id ? 'municipality' : 'platform default'}</td>` +
    `<td>${t.status}</td><td>${t.approved_at ? t.approved_at.slice(0, 10) : ''}</td></tr>`).join('')
  const draft = versions.find((t) => t.status === 'draft')
  $('approve').disabled = !(draft && role === 'admin')
  $('save').disabled = !['manager', 'admin'].includes(role)
  preview()
}

async function load () {
  library = await api('/api/v1/templates')
  const keys = library.keys.map((k) => k.key)
  if ($('key').options.length !== keys.length) {
    $('key').innerHTML = keys.map((k) => `<option value="${k}">${k}</option>`).join('')
  }
  // The languages offered are data (the platform's languages table), not a list here.
  if ($('language').options.length !== library.languages.length) {
    $('language').replaceChildren(...library.languages.map((l) => new Option(l.name, l.code)))
  }
  show()
}

// The same Supabase Auth sign-in as /dashboard (the session is shared with the board).
async function enter () {
  const me = await api('/api/v1/me')
  if (!['manager', 'admin', 'saps_liaison', 'field_worker'].includes(me.role)) {
    await client.auth.signOut({ scope: 'local' })
    throw new Error('the message library is for municipal staff')
  }
  role = me.role
  $('who').textContent = `${me.municipality_name} · signed in as ${role.replace(/_/g, ' ')}`
  await load()
  $('signin').hidden = true
  $('signout').hidden = false
  $('editor').hidden = false
  say('')
  document.body.dataset.signedIn = 'true'
}

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault()
  say('')
  const { error } = await client.auth.signInWithPassword({
    email: $('email').value.trim(), password: $('password').value,
  })
  if (error) { say(`Sign-in failed: ${error.message}`, true); return }
  $('password').value = ''
  try { await enter() } catch (err) { say(`Sign-in failed: ${err.message}`, true) }
})
$('signout').addEventListener('click', async () => {
  await client.auth.signOut()
  location.reload()
})
$('key').addEventListener('change', show)
$('language').addEventListener('change', show)
$('body').addEventListener('input', preview)
$('save').addEventListener('click', async () => {
  const { key, language } = chosen()
  try {
    const made = await api('/api/v1/templates', {
      method: 'POST',
      body: JSON.stringify({ key, language, body: $('body').value, note: $('note').value || null }),
    })
    await load()
    say(`Draft version ${made.version} saved; an administrator approves it.`)
  } catch (err) { say(err.message, true) }
})
$('approve').addEventListener('click', async () => {
  const draft = chosen().versions.find((t) => t.status === 'draft')
  try {
    const done = await api(`/api/v1/templates/${draft.id}/approve`,
      { method: 'POST', body: JSON.stringify({ note: $('note').value || null }) })
    await load()
    say(`Version ${done.version} approved: citizens receive it from now on.`)
  } catch (err) { say(err.message, true) }
})
async function start () {
  const config = await (await fetch('/dashboard/config.json')).json()
  client = window.supabase.createClient(config.supabaseUrl, config.supabaseAnonKey, {
    auth: { persistSession: true, autoRefreshToken: true },
  })
  const { data: { session } } = await client.auth.getSession()
  if (session) {
    try { await enter() } catch (err) { say(`Please sign in again: ${err.message}`, true) }
  }
  $('signin').hidden = Boolean(session) && document.body.dataset.signedIn === 'true'
  document.body.dataset.ready = 'true'
}
start()
