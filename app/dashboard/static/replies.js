// Replying to the reporter from the drawer: an approved reply text of the message library,
// queued by the API in the reporter's language. Each reply carries a fresh key; a retry
// after a failed request reuses it, so the person never gets the same reply twice.
const $ = (id) => document.getElementById(id)
const MAY_REPLY = ['manager', 'saps_liaison', 'admin']
let ctx = null
let texts = [] // approved versions of reply texts
let keys = []
let ticket = null
let replyKey = null

export async function setUpReplies(context) {
  ctx = context
  if (!MAY_REPLY.includes(ctx.me.role)) return
  try {
    const library = await ctx.api('/api/v1/templates?status=approved')
    keys = library.keys.filter((k) => k.kind === 'reply').map((k) => k.key)
    texts = library.templates.filter((t) => keys.includes(t.key))
  } catch (err) { keys = [] }
  ctx.renderReply = render
  $('a-template').addEventListener('change', preview)
  $('a-reply').addEventListener('submit', send)
}

// The text the reporter will read: the municipality's own version, else the platform's.
function textFor(key, language) {
  const mine = (lang) => texts.find((t) => t.key === key && t.language === lang && t.tenant_id)
  const platform = (lang) => texts.find((t) => t.key === key && t.language === lang)
  const found = mine(language) || platform(language) || mine('en') || platform('en')
  return found ? found.body : ''
}

// A random UUID (v4), also where crypto.randomUUID is missing (an insecure origin).
function freshKey() {
  if (crypto.randomUUID) return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function humanise(key) {
  const words = key.replace(/^reply_/, '').replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function render(t) {
  ticket = t
  replyKey = freshKey()
  $('a-reply').hidden = keys.length === 0
  $('a-template').replaceChildren(new Option('Choose a reply…', ''),
    ...keys.map((key) => new Option(humanise(key), key)))
  $('a-template-text').textContent = ''
  $('a-reply-done').textContent = ''
}

function preview() {
  const key = $('a-template').value
  $('a-template-text').textContent = key
    ? textFor(key, ticket.language).replace('{tracking_number}', ticket.tracking_number) : ''
}

async function send(event) {
  event.preventDefault()
  const key = $('a-template').value
  if (!key || !confirm(`Send this reply to the reporter of ${ticket.tracking_number}?\n\n` +
    $('a-template-text').textContent)) return
  const button = $('a-reply').querySelector('button[type=submit]')
  button.disabled = true
  $('d-error').textContent = ''
  try {
    const queued = await ctx.api(`/api/v1/tickets/${ticket.id}/replies`,
      { method: 'POST', body: { template_key: key, reply_key: replyKey } })
    replyKey = freshKey()
    $('a-reply-done').textContent = `Reply queued (${queued.language}).`
    $('a-template').value = ''
    $('a-template-text').textContent = ''
    document.body.dataset.lastAction = 'a-reply'
  } catch (err) {
    $('d-error').textContent = `Reply not sent: ${err.message}`
  } finally {
    button.disabled = false
  }
}
