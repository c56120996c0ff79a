// What the staff work pages (casework, field, admin) share: Supabase Auth sign-in through
// supabase-js (it keeps the session and refreshes it), our API called with the current
// access token, the page's private Realtime channels, and small DOM helpers.
// Configuration comes from /dashboard/config.json, so the pages run unchanged on Supabase.
export const $ = (id) => document.getElementById(id)
export const label = (value) => (value || '').replace(/_/g, ' ')

// A 422's detail names each field ("cas_number: String should match ..."), so the person
// knows what to fix.
function problem(data, status) {
  if (Array.isArray(data.detail)) {
    return data.detail.map((d) => {
      const field = (d.loc || []).filter((part) => part !== 'body').join('.')
      return field ? `${field}: ${d.msg}` : d.msg
    }).join('; ')
  }
  return data.detail || data.message || `HTTP ${status}`
}

async function fetchJson(page, path, { method = 'GET', body } = {}) {
  const response = await fetch(`${page.config.apiBase}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${page.token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(problem(data, response.status))
  return data
}

// el('p', { className: 'hint', textContent: 'x', onclick: f, dataset: { id } }, ...children)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue
    if (key === 'dataset') Object.assign(node.dataset, value)
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
    else node[key] = value
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false))
  return node
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString('en-ZA',
  { dateStyle: 'medium', timeStyle: 'short' }) : '—')

// Sign-in, session and the role gate; `enter(page)` builds the page once signed in.
export async function startPage({ roles, audience, enter }) {
  const page = { config: null, client: null, token: null, me: null }
  page.config = await (await fetch('/dashboard/config.json')).json()
  page.client = window.supabase.createClient(page.config.supabaseUrl, page.config.supabaseAnonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false },
  })
  page.api = async (path, options) => {
    const { data } = await page.client.auth.getSession()
    page.token = data.session ? data.session.access_token : null
    return fetchJson(page, path, options)
  }
  page.error = (message) => { $('error').textContent = message }
  page.notice = (message) => { $('notice').textContent = message }

  async function open() {
    const me = await page.api('/api/v1/me')
    if (!roles.includes(me.role)) {
      await page.client.auth.signOut({ scope: 'local' })
      throw new Error(`this page is for ${audience}`)
    }
    page.me = me
    $('who').textContent = `${me.full_name || ''} · ${me.municipality_name} · ${label(me.role)}`
    $('signin').hidden = true
    $('signout').hidden = false
    $('work').hidden = false
    document.body.dataset.role = me.role
    await enter(page)
  }

  $('signin').addEventListener('submit', async (event) => {
    event.preventDefault()
    page.error('')
    const { error } = await page.client.auth.signInWithPassword({
      email: $('email').value.trim(), password: $('password').value,
    })
    if (error) { page.error(`Sign-in failed: ${error.message}`); return }
    $('password').value = ''
    try { await open() } catch (err) { page.error(`Sign-in failed: ${err.message}`) }
  })
  $('signout').addEventListener('click', async () => {
    await page.client.removeAllChannels()
    await page.client.auth.signOut()
    location.reload()
  })
  page.client.auth.onAuthStateChange((event, session) => {
    if (event === 'TOKEN_REFRESHED' && session) page.client.realtime.setAuth(session.access_token)
  })
  const { data: { session } } = await page.client.auth.getSession()
  if (session) {
    try { await open() } catch (err) { page.error(`Please sign in again: ${err.message}`) }
  }
  document.body.dataset.ready = 'true'
  window.staffPage = page
  return page
}

// Private channels (the database's realtime.messages policy decides who may join which).
export function subscribe(page, topics, onEvent) {
  page.client.realtime.setAuth(page.token)
  const statuses = {}
  for (const topic of topics) {
    page.client.channel(topic, { config: { private: true } })
      .on('broadcast', { event: 'ticket_changed' }, ({ payload }) => onEvent(payload || {}, topic))
      .subscribe((status, err) => {
        statuses[topic] = status
        const live = topics.every((t) => statuses[t] === 'SUBSCRIBED')
        document.body.dataset.realtime = live ? 'SUBSCRIBED' : status
        $('live').textContent = live ? 'live' : label(status.toLowerCase())
        $('live').className = `badge ${live ? 'on' : 'off'}`
        if (err) page.error(`Live updates: ${err.message}`)
      })
  }
}
