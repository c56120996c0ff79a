// Drives the dashboard in headless Chromium (the system's chromium, through
// playwright-core). Reads one JSON command per line on stdin, answers each with
// one JSON line on stdout: {"ok": true, ...} or {"ok": false, "error": "..."}.
// Env: CHROMIUM (executable), USER_DATA_DIR (a fresh folder).
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { chromium } from 'playwright-core'

const context = await chromium.launchPersistentContext(process.env.USER_DATA_DIR, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: Number(process.env.VIEWPORT_WIDTH || 1280),
    height: Number(process.env.VIEWPORT_HEIGHT || 720) },
  locale: process.env.LOCALE || 'en-ZA',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const page = context.pages()[0] || await context.newPage()
const console_ = []
page.on('console', (msg) => console_.push(`${msg.type()}: ${msg.text()}`))
page.on('pageerror', (err) => console_.push(`pageerror: ${err.message}`))

// Pages ask for confirmation with window.confirm/prompt: answer as a careful user would, with
// what the test queued (default: accept, empty prompt).
const dialogs = []
page.on('dialog', async (dialog) => {
  const next = dialogs.shift() || { accept: true, text: '' }
  if (next.accept) await dialog.accept(next.text || undefined)
  else await dialog.dismiss()
})

const row = (id) => `tr[data-id="${id}"]`

const commands = {
  async open({ url }) {
    await page.goto(url)
    await page.waitForSelector('body[data-ready="true"]')
    return {}
  },
  async signin({ email, password }) {
    await page.fill('#email', email)
    await page.fill('#password', password)
    await page.click('#signin button[type=submit]')
    return await commands.board()
  },
  // Wait until the board is live or an error shows, and report.
  async board() {
    await page.waitForFunction(() => document.body.dataset.realtime === 'SUBSCRIBED' ||
      document.getElementById('error').textContent !== '', null, { timeout: 15000 })
    return {
      realtime: await page.evaluate(() => document.body.dataset.realtime || null),
      error: await page.textContent('#error'),
      title: await page.textContent('#board-title'),
      who: await page.textContent('#who'),
    }
  },
  async rows() {
    return {
      rows: await page.$$eval('#tickets tr', (trs) => trs.map((tr) => ({
        id: tr.dataset.id,
        status: tr.dataset.status,
        sensitive: tr.dataset.sensitive === 'true',
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
      }))),
    }
  },
  async waitRow({ id, status, timeout = 10000 }) {
    const selector = status ? `${row(id)}[data-status="${status}"]` : row(id)
    await page.waitForSelector(selector, { timeout })
    return {}
  },
  // Record (in the page's clock, epoch ms) when the row first shows `status`.
  async arm({ id, status }) {
    await page.evaluate(({ id, status }) => {
      window.__seenAt = null
      const check = () => {
        const tr = document.querySelector(`tr[data-id="${id}"]`)
        if (window.__seenAt === null && tr && tr.dataset.status === status) window.__seenAt = Date.now()
      }
      new MutationObserver(check).observe(document.getElementById('tickets'),
        { subtree: true, childList: true, attributes: true })
      check()
    }, { id, status })
    return {}
  },
  async seen({ timeout = 10000 }) {
    await page.waitForFunction(() => window.__seenAt !== null, null, { timeout })
    return { seenAt: await page.evaluate(() => window.__seenAt) }
  },
  async choose({ id, status }) {
    await page.selectOption(`${row(id)} select`, status)
    return {}
  },
  async text({ selector }) {
    return { text: await page.textContent(selector) }
  },
  async reload() {
    await page.reload()
    await page.waitForSelector('body[data-ready="true"]')
    return { signinShown: await page.isVisible('#signin') }
  },
  async signout() {
    await page.click('#signout')
    await page.waitForSelector('body[data-ready="true"] #signin:not([hidden])')
    return { signinShown: await page.isVisible('#signin') }
  },
  async forgot({ email }) {
    await page.fill('#email', email)
    await page.click('#forgot')
    await page.waitForFunction(() => document.getElementById('notice').textContent !== '' ||
      document.getElementById('error').textContent !== '', null, { timeout: 15000 })
    return { notice: await page.textContent('#notice'), error: await page.textContent('#error') }
  },
  async newpassword({ password }) {
    await page.waitForSelector('#newpassword:not([hidden])')
    await page.fill('#new-password', password)
    await page.click('#newpassword button[type=submit]')
    return await commands.board()
  },
  async viewport({ width, height }) {
    await page.setViewportSize({ width, height })
    return {}
  },
  async session() {
    return { stored: await page.evaluate(() => Object.keys(localStorage).some((k) => k.endsWith('-auth-token'))) }
  },
  // Generic steps, so a new page's test needs no new driver code.
  async goto({ url, ready = 'body[data-ready="true"]' }) {
    await page.goto(url)
    if (ready) await page.waitForSelector(ready)
    return { url: page.url() }
  },
  async click({ selector }) {
    await page.click(selector)
    return {}
  },
  async fill({ selector, value }) {
    await page.fill(selector, value)
    return {}
  },
  async select({ selector, value }) {
    await page.selectOption(selector, value)
    return {}
  },
  async upload({ selector, files }) {
    await page.setInputFiles(selector, files)
    return {}
  },
  async waitFor({ selector, state = 'visible', timeout = 15000 }) {
    await page.waitForSelector(selector, { state, timeout })
    return {}
  },
  async waitUntil({ script, arg = null, timeout = 15000 }) {
    await page.waitForFunction(new Function('arg', script), arg, { timeout })
    return {}
  },
  async evaluate({ script, arg = null }) {
    return { value: await page.evaluate(new Function('arg', script), arg) }
  },
  async texts({ selector }) {
    return { texts: await page.$$eval(selector, (els) => els.map((el) => el.textContent.trim())) }
  },
  async visible({ selector }) {
    return { visible: await page.isVisible(selector) }
  },
  // Click what starts a download; answer with the saved file's name and text.
  async download({ selector, timeout = 15000 }) {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout }), page.click(selector)])
    return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') }
  },
  async dialog({ accept = true, text = '' }) {
    dialogs.push({ accept, text })
    return {}
  },
  async geolocation({ latitude, longitude, origin }) {
    await context.grantPermissions(['geolocation'], origin ? { origin } : undefined)
    await context.setGeolocation({ latitude, longitude })
    return {}
  },
  async permit({ permissions, origin }) {
    await context.grantPermissions(permissions, origin ? { origin } : undefined)
    return {}
  },
  async history() {
    return { url: page.url(), length: await page.evaluate(() => window.history.length) }
  },
  async screenshot({ path, full = true }) {
    await page.screenshot({ path, fullPage: full })
    return {}
  },
  async close() {
    await context.close()
    return { console: console_ }
  },
}

const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
print({ ok: true, ready: true })
for await (const line of createInterface({ input: process.stdin })) {
  const { op, ...args } = JSON.parse(line)
  try {
    print({ ok: true, ...(await commands[op](args)) })
  } catch (err) {
    print({ ok: false, error: String(err.message || err), console: console_ })
  }
  if (op === 'close') break
}
process.exit(0)
