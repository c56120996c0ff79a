// /track and /track/{number}: status, category and dates of a report, for anyone. The API
// answers a protected report exactly as a number that does not exist.
import { LANGUAGES, applyLanguage, chosenLanguage, rememberLanguage, translate } from './i18n.js'

const $ = (id) => document.getElementById(id)
let lang = chosenLanguage()
const t = (key) => translate(lang, key)
const when = (iso) => (iso ? new Date(iso).toLocaleString(`${lang === 'en' ? 'en' : lang}-ZA`,
  { dateStyle: 'medium', timeStyle: 'short' }) : '—')

function show(found) {
  $('result-ref').textContent = found.tracking_number
  $('result-status').textContent = t(`status_${found.status}`)
  $('result-status').dataset.status = found.status
  $('result-category').textContent = t(found.category)
  $('result-created').textContent = when(found.created_at)
  $('result-resolved').textContent = when(found.resolved_at)
  $('result-closed').textContent = when(found.closed_at)
  const steps = [{ status: 'open', at: found.created_at }, ...found.history]
  $('result-history').replaceChildren(...steps.map((s) => Object.assign(document.createElement('li'),
    { textContent: `${t(`status_${s.status}`)} · ${when(s.at)}` })))
  $('result').hidden = false
}

async function look(reference) {
  $('result').hidden = true
  $('unknown').hidden = true
  document.body.dataset.found = ''
  const response = await fetch(`/api/v1/track/${encodeURIComponent(reference)}`,
    { headers: { accept: 'application/json' } })
  if (response.ok) {
    show(await response.json())
    document.body.dataset.found = 'true'
  } else {
    $('unknown').hidden = false
    document.body.dataset.found = 'false'
  }
}

function numberInAddress() {
  const match = location.pathname.match(/^\/track\/(.+)$/)
  return match ? decodeURIComponent(match[1]) : ''
}

for (const [code, name] of Object.entries(LANGUAGES)) {
  $('lang').append(Object.assign(document.createElement('option'), { value: code, textContent: name }))
}
$('lang').value = lang
$('lang').addEventListener('change', async () => {
  lang = $('lang').value
  rememberLanguage(lang)
  applyLanguage(lang)
  if (numberInAddress()) await look(numberInAddress())
})
$('track-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const reference = $('reference').value.trim().toUpperCase()
  history.replaceState(null, '', `/track/${encodeURIComponent(reference)}`)
  await look(reference)
})
applyLanguage(lang)
const given = numberInAddress()
if (given) {
  $('reference').value = given
  await look(given)
}
document.body.dataset.ready = 'true'
