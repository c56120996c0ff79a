// "I need help / I am not safe": a protected report with the WhatsApp channel's safeguards.
// Neutral words, emergency numbers always shown, location only if the person adds it,
// explicit consent to involve the SAPS, and a quick exit that leaves nothing behind.
import { $, api, failed, info, show, showError, state, t } from './common.js'
import { locate } from './report.js'

let hooks = {}

// Replace this page with a neutral site: the form emptied, the page's stored state (the
// session included) cleared, and this entry of the history replaced, so Back does not return.
export function quickExit() {
  endSession()
  for (const form of document.querySelectorAll('form')) form.reset()
  document.body.replaceChildren()
  try {
    localStorage.clear()
    sessionStorage.clear()
  } catch { /* storage may be unavailable; nothing to clear then */ }
  history.replaceState(null, '', '/')
  location.replace(state.config.quickExitUrl)
}

// Ends this browser's session at Auth too (its refresh token stops working), without
// waiting: the request outlives the page (keepalive) and leaving is never delayed.
function endSession() {
  if (!state.token) return
  fetch(`${state.config.supabaseUrl}/auth/v1/logout?scope=local`, {
    method: 'POST', keepalive: true,
    headers: { authorization: `Bearer ${state.token}`, apikey: state.config.supabaseAnonKey },
  }).catch(() => {})
}

async function signedIn() {
  const { data: { session } } = await state.client.auth.getSession()
  return Boolean(session)
}

async function open() {
  history.replaceState(null, '', location.pathname)  // nothing of this visit in the address
  const known = await signedIn()
  $('help-signin').hidden = known
  $('help-form').hidden = !known
  $('help-sent').hidden = true
}

async function send(event) {
  event.preventDefault()
  const description = $('help-text').value.trim()
  if (description.length < 3) return showError(t('need_description'))
  if (!$('help-consent').checked) return showError(t('help_consent'))
  const body = { category: 'gbv', is_sensitive: true, description, language: state.apiLang }
  if ($('help-where').checked) {
    const found = await locate()
    if (found) Object.assign(body, { latitude: Number(found.latitude.toFixed(6)),
      longitude: Number(found.longitude.toFixed(6)) })
  }
  $('help-send').disabled = true
  try {
    await api('/api/v1/me/consents', { method: 'POST', body: {
      purpose: 'saps_referral', notice_version: state.notice.version, language: state.notice.language } })
    const receipt = await api('/api/v1/reports', { method: 'POST', body })
    $('help-form').reset()
    $('help-form').hidden = true
    $('help-sent').textContent = t('help_sent', { ref: receipt.tracking_number })
    $('help-sent').hidden = false
    info('')
  } catch (err) {
    failed(err)
  } finally {
    $('help-send').disabled = false
  }
}

export function install(given) {
  hooks = given
  $('need-help').addEventListener('click', () => { showError(''); info(''); show('help').then(open) })
  $('quick-exit').addEventListener('click', quickExit)
  $('help-form').addEventListener('submit', (e) => send(e).catch(failed))
  $('help-signin-go').addEventListener('click', () => { state.after = 'help'; show('signin') })
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.view === 'help') quickExit()
  })
  return hooks
}
