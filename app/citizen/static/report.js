// The report form: category, description, where (geolocation, a tap on the map, or an
// address), photos straight to Storage through signed upload URLs, similar open reports
// before filing, and the tracking number after.
import { $, ApiError, api, element, failed, info, show, showError, state, statusWord, t, when } from './common.js'

const SOUTH_AFRICA = [-29.0, 24.0]
const here = { latitude: null, longitude: null }
let map = null
let marker = null
let hooks = {}
let checked = false  // similar reports already shown for this location and category

function setPoint(latitude, longitude) {
  here.latitude = Number(latitude.toFixed(6))
  here.longitude = Number(longitude.toFixed(6))
  const point = [here.latitude, here.longitude]
  if (marker) marker.setLatLng(point)
  else marker = window.L.marker(point).addTo(map)
  map.setView(point, Math.max(map.getZoom(), 16))
  $('coords').textContent = `${here.latitude.toFixed(5)}, ${here.longitude.toFixed(5)}`
  $('coords').dataset.latitude = here.latitude
  $('coords').dataset.longitude = here.longitude
  unsimilar()
}

// Tiles come from configuration; without a tile server the marker and coordinates still show.
function ensureMap() {
  if (map) return map.invalidateSize()
  map = window.L.map('map', { zoomControl: true }).setView(SOUTH_AFRICA, 5)
  if (state.config.tileUrl) {
    window.L.tileLayer(state.config.tileUrl, { maxZoom: 19, attribution: state.config.tileAttribution }).addTo(map)
  }
  map.on('click', (event) => setPoint(event.latlng.lat, event.latlng.lng))
}

export function locate() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null)
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ latitude: pos.coords.latitude, longitude: pos.coords.longitude }),
      () => resolve(null), { enableHighAccuracy: true, timeout: 10000 })
  })
}

async function useLocation() {
  const found = await locate()
  if (!found) return showError(t('location_denied'))
  showError('')
  setPoint(found.latitude, found.longitude)
}

function form() {
  const category = $('category').value
  const description = $('description').value.trim()
  const address = $('address').value.trim()
  if (!category) throw new Error(t('need_category'))
  if (description.length < 3) throw new Error(t('need_description'))
  if (here.latitude === null && address.length < 3) throw new Error(t('need_location'))
  return {
    category, description, language: state.apiLang,
    ...(here.latitude !== null ? { latitude: here.latitude, longitude: here.longitude } : {}),
    ...(address ? { address } : {}),
  }
}

function similarItem(found) {
  const follow = element('button', { type: 'button', className: 'secondary', textContent: t('follow') })
  follow.addEventListener('click', async () => {
    try {
      await api(`/api/v1/tickets/${found.id}/follow`, { method: 'POST' })
      reset()
      info(t('following', { ref: found.tracking_number }))
      await show('mine')
    } catch (err) { failed(err) }
  })
  return element('li', { dataset: { ref: found.tracking_number } },
    element('strong', { textContent: found.tracking_number }),
    ` · ${statusWord(found.status)} · ${Math.round(found.distance_m)} m · ${when(found.created_at)} `, follow)
}

// Open reports like this one, before it is filed: shown once per location and category.
async function similar(body) {
  if (checked || body.latitude === undefined) return false
  const query = new URLSearchParams({ category: body.category, latitude: body.latitude, longitude: body.longitude })
  const found = await api(`/api/v1/reports/similar?${query}`)
  checked = true
  if (!found.length) return false
  $('similar-list').replaceChildren(...found.map(similarItem))
  $('similar').hidden = false
  $('file').hidden = true  // the choice is now: follow one, or send mine anyway
  return true
}

// Each photo goes straight to Storage (supabase-js) through a URL our API signed for it.
export async function uploadPhotos(ticketId, files) {
  for (const file of files) {
    const ticket = await api('/api/v1/uploads', {
      method: 'POST',
      body: { purpose: 'evidence', ticket_id: ticketId, filename: file.name,
        content_type: file.type || 'application/octet-stream', size: file.size },
    })
    const { error } = await state.client.storage.from(ticket.bucket)
      .uploadToSignedUrl(ticket.path, ticket.token, file, { contentType: file.type })
    if (error) throw new Error(error.message)
  }
}

async function file(force) {
  let body
  try {
    body = form()
  } catch (err) {
    return showError(err.message)
  }
  $('file').disabled = true
  try {
    if (!force && await similar(body)) return
    info(t('filing'))
    const receipt = await api('/api/v1/reports', { method: 'POST', body })
    // Filed: the number is shown whatever happens to the photos.
    let photoError = null
    try {
      await uploadPhotos(receipt.id, [...$('photos').files])
    } catch (err) {
      photoError = err
    }
    reset()
    info('')
    $('tracking-number').textContent = receipt.tracking_number
    $('track-link').href = `/track/${encodeURIComponent(receipt.tracking_number)}`
    await show('filed')
    if (photoError) failed(photoError)
  } catch (err) {
    if (err instanceof ApiError && err.status === 428) return hooks.needNotice()
    failed(err)
  } finally {
    $('file').disabled = false
  }
}

function unsimilar() {
  checked = false
  $('similar').hidden = true
  $('file').hidden = false
}

function reset() {
  $('report-form').reset()
  unsimilar()
  $('coords').textContent = ''
  here.latitude = here.longitude = null
  checked = false
  if (marker) marker.remove()
  marker = null
}

export function install(given) {
  hooks = given
  $('use-location').addEventListener('click', () => useLocation().catch(failed))
  $('report-form').addEventListener('submit', (e) => { e.preventDefault(); file(false) })
  $('file-anyway').addEventListener('click', () => file(true))
  $('category').addEventListener('change', unsimilar)
  $('another').addEventListener('click', () => show('report'))
  $('view-report').addEventListener('transitionend', () => map && map.invalidateSize())
  onShowReport()
}

function onShowReport() {
  // The map is built when the view first shows (Leaflet measures its box).
  const observer = new MutationObserver(() => {
    if (!$('view-report').hidden) ensureMap()
  })
  observer.observe($('view-report'), { attributes: true, attributeFilter: ['hidden'] })
}
