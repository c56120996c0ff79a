// The citizen page: language, sign-in (phone code or email), the privacy notice before the
// first report, and the page's views. Report, help, "my reports" and "my data" are modules.
import { LANGUAGES, applyLanguage, chosenLanguage, rememberLanguage } from './i18n.js'
import { $, ApiError, api, failed, info, show, showError, state, t } from './common.js'
import * as report from './report.js'
import * as mine from './mine.js'
import * as help from './help.js'

// A link may name the municipality (?municipality=CODE); it is kept for sign-up only.
function municipality() {
  const named = new URLSearchParams(location.search).get('municipality')
  if (named && /^[A-Za-z]{2,8}$/.test(named)) sessionStorage.setItem('salga.municipality', named)
  return sessionStorage.getItem('salga.municipality') || state.config.municipality ||
    $('municipality').value.trim()
}

async function signedIn() {
  const { data: { session } } = await state.client.auth.getSession()
  return session
}

// The notice in the page's language; isiXhosa falls back to English until the library has it.
async function fetchNotice(query) {
  const lang = state.lang
  try {
    return { ...(await api(`/api/v1/privacy/notice?${query}language=${lang}`)), fallback: false }
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 422 || lang === 'en') throw err
    return { ...(await api(`/api/v1/privacy/notice?${query}language=en`)), fallback: true }
  }
}

// The person's notice; the API then speaks its language to them (reports, consents).
async function personalNotice() {
  state.notice = await fetchNotice('')
  state.apiLang = state.notice.language
  return state.notice
}

function renderNotice(notice, bodyId, noteId) {
  $(bodyId).textContent = notice.body
  $(noteId).textContent = notice.fallback ? t('notice_fallback') : ''
  $(bodyId).dataset.language = notice.language
  $(bodyId).dataset.version = notice.version
}

// Before sign-up (POPIA s18: notice before collection), shown to anyone.
async function previewNotice() {
  const code = municipality()
  if (!code) return
  const asked = state.lang
  try {
    const notice = await fetchNotice(`municipality=${encodeURIComponent(code)}&`)
    // A slower answer for a language since changed is not shown over the newer one.
    if (asked !== state.lang) return
    renderNotice(notice, 'notice-preview-body', 'notice-preview-note')
    $('notice-preview').hidden = false
  } catch { /* the notice is shown again, and must be acknowledged, after sign-in */ }
}

function acknowledged(notice, consents) {
  return consents.some((c) => c.purpose === 'privacy_notice' && c.consented && !c.withdrawn_at &&
    (c.notice_template_id === notice.id || c.language !== notice.language))
}

// Signed in: the notice must have been acknowledged (once per version) before reporting.
export async function enter() {
  $('nav').hidden = false
  await personalNotice()
  const consents = await api('/api/v1/me/consents')
  if (acknowledged(state.notice, consents)) return show(state.after)
  renderNotice(state.notice, 'notice-body', 'notice-note')
  return show('notice')
}

async function acknowledge(event) {
  event.preventDefault()
  if (!$('notice-ack').checked) return showError(t('notice_ack'))
  const body = { notice_version: state.notice.version, language: state.notice.language }
  try {
    await api('/api/v1/me/consents', { method: 'POST', body: { ...body, purpose: 'privacy_notice' } })
    if ($('updates-consent').checked) {
      await api('/api/v1/me/consents', { method: 'POST', body: { ...body, purpose: 'progress_updates' } })
    }
    info('')
    await show(state.after)
  } catch (err) {
    failed(err)
  }
}

// A 428 from filing (the notice changed since): show it again.
export async function needNotice() {
  renderNotice(await personalNotice(), 'notice-body', 'notice-note')
  await show('notice')
}

async function sendCode(event) {
  event.preventDefault()
  const phone = $('phone').value.replace(/[\s()-]/g, '')
  const { error } = await state.client.auth.signInWithOtp({
    phone, options: { data: { municipality: municipality(), language: state.lang } },
  })
  if (error) return showError(error.message)
  $('code-form').hidden = false
  info(t('code_sent'))
  $('code').focus()
}

async function verifyCode(event) {
  event.preventDefault()
  const phone = $('phone').value.replace(/[\s()-]/g, '')
  const { error } = await state.client.auth.verifyOtp({ phone, token: $('code').value.trim(), type: 'sms' })
  if (error) return showError(error.message)
  info('')
  await enter().catch(failed)
}

async function emailSignIn(event) {
  event.preventDefault()
  const { error } = await state.client.auth.signInWithPassword({
    email: $('email').value.trim(), password: $('password').value,
  })
  if (error) return showError(error.message)
  await enter().catch(failed)
}

async function emailSignUp() {
  if (!$('email-form').reportValidity()) return
  const { data, error } = await state.client.auth.signUp({
    email: $('email').value.trim(), password: $('password').value,
    options: { data: { municipality: municipality(), language: state.lang } },
  })
  if (error) return showError(error.message)
  if (!data.session) return info(t('check_email'))
  await enter().catch(failed)
}

async function signOut() {
  await state.client.auth.signOut({ scope: 'local' })
  location.replace('/')
}

async function setLanguage(lang) {
  state.lang = lang
  rememberLanguage(lang)
  applyLanguage(lang)
  if (await signedIn()) {
    if (state.view === 'notice') await needNotice().catch(failed)
    else {
      await personalNotice().catch(failed)
      if (state.view) await show(state.view)
    }
  } else {
    await previewNotice()
  }
}

function wire() {
  for (const [code, name] of Object.entries(LANGUAGES)) {
    $('lang').append(Object.assign(document.createElement('option'), { value: code, textContent: name }))
  }
  $('lang').value = state.lang
  $('lang').addEventListener('change', () => setLanguage($('lang').value))
  $('phone-form').addEventListener('submit', (e) => sendCode(e).catch(failed))
  $('code-form').addEventListener('submit', (e) => verifyCode(e).catch(failed))
  $('email-form').addEventListener('submit', (e) => emailSignIn(e).catch(failed))
  $('email-signup').addEventListener('click', () => emailSignUp().catch(failed))
  $('notice-form').addEventListener('submit', acknowledge)
  $('signout').addEventListener('click', () => signOut().catch(failed))
  for (const button of document.querySelectorAll('#nav [data-view]')) {
    button.addEventListener('click', () => { info(''); showError(''); show(button.dataset.view) })
  }
}

async function start() {
  state.config = await (await fetch('/citizen/config.json')).json()
  state.lang = chosenLanguage()
  state.client = window.supabase.createClient(state.config.supabaseUrl, state.config.supabaseAnonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true },
  })
  state.client.auth.onAuthStateChange((_event, session) => {
    state.token = session ? session.access_token : null
  })
  applyLanguage(state.lang)
  wire()
  report.install({ needNotice })
  mine.install()
  help.install({ enter })
  if (await signedIn()) await enter().catch(failed)
  else {
    // No municipality configured nor named by the link: the person types its code.
    $('municipality-box').hidden = Boolean(municipality())
    $('municipality').addEventListener('change', () => previewNotice())
    await show('signin')
    await previewNotice()
  }
  document.body.dataset.ready = 'true'
}

start().catch((err) => {
  showError(String(err.message || err))
  document.body.dataset.ready = 'true'
})
