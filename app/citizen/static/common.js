// What every part of the citizen page shares: its state, the API, the views and messages.
import { translate } from './i18n.js'

export const state = {
  config: null,    // /citizen/config.json
  client: null,    // supabase-js
  lang: 'en',      // the page's language
  apiLang: 'en',   // the language the API speaks for this person (notice, report)
  notice: null,    // the notice shown (id, version, language, body)
  after: 'report', // where to go once signed in and the notice is acknowledged
  view: null,
  token: null,     // the current access token (kept for the quick exit, which cannot wait)
}

export const $ = (id) => document.getElementById(id)
export const t = (key, vars) => translate(state.lang, key, vars)

export class ApiError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

async function token() {
  const { data: { session } } = await state.client.auth.getSession()
  return session ? session.access_token : null
}

// One call to our API as the signed-in person; JSON back, or an ApiError with the detail.
export async function api(path, { method = 'GET', body, raw = false } = {}) {
  const headers = { accept: raw ? 'text/html' : 'application/json' }
  const bearer = await token()
  if (bearer) headers.authorization = `Bearer ${bearer}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${state.config.apiBase}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) {
    let detail = response.statusText
    try {
      const data = await response.json()
      detail = typeof data.detail === 'string' ? data.detail
        : (data.detail || []).map((d) => d.msg || JSON.stringify(d)).join('; ') || detail
    } catch { /* not JSON */ }
    throw new ApiError(response.status, detail)
  }
  if (response.status === 204) return null
  return raw ? response.text() : response.json()
}

export function showError(message) {
  $('error').textContent = message || ''
  if (message) $('info').textContent = ''
}

export function info(message) {
  $('info').textContent = message || ''
  if (message) $('error').textContent = ''
}

export function failed(err) {
  showError(t('failed', { msg: err.message || String(err) }))
}

const VIEWS = ['signin', 'notice', 'report', 'filed', 'mine', 'data', 'help']
const loaders = {}

export function onShow(view, loader) {
  loaders[view] = loader
}

// Views switch inside the page: no history entries, so nothing is left to go Back to.
export async function show(view) {
  state.view = view
  for (const name of VIEWS) $(`view-${name}`).hidden = name !== view
  document.body.dataset.view = view
  if (loaders[view]) {
    try {
      await loaders[view]()
    } catch (err) {
      failed(err)
    }
  }
}

export function statusWord(status) {
  return t(`status_${status}`)
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString(state.lang === 'en' ? 'en-ZA' : `${state.lang}-ZA`,
    { dateStyle: 'medium', timeStyle: 'short' }) : ''
}

export function element(tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(el.dataset, value)
    else el[key] = value
  }
  for (const child of children) el.append(child)
  return el
}
