// Drives the message library editor in headless Chromium (playwright-core, the
// system's chromium): sign in, pick a message, write a new version, read the
// preview, save the draft and (as an admin) approve it; screenshot at the end.
// Env: URL, MANAGER, ADMIN (emails), PASSWORD, KEY, LANGUAGE, BODY, SHOT, USER_DATA_DIR.
import { chromium } from 'playwright-core'

const env = process.env
const context = await chromium.launchPersistentContext(env.USER_DATA_DIR, {
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const page = context.pages()[0] || await context.newPage()
const console_ = []
page.on('pageerror', (err) => console_.push(`pageerror: ${err.message}`))
const result = { console: console_ }

// Supabase Auth's email and password, as on /dashboard; whoever was signed in signs out.
async function signIn (email) {
  await page.goto(`${env.URL}/dashboard/templates`)
  await page.waitForSelector('body[data-ready="true"]')
  if (await page.isVisible('#signout')) {
    await page.click('#signout')
    await page.waitForSelector('body[data-ready="true"] #signin:not([hidden])')
  }
  await page.fill('#email', email)
  await page.fill('#password', env.PASSWORD)
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('body[data-signed-in="true"]', { timeout: 15000 })
  await page.selectOption('#key', env.KEY)
  await page.selectOption('#language', env.LANGUAGE)
}

try {
  await signIn(env.MANAGER)
  result.current = await page.textContent('#current')
  result.variables = await page.textContent('#variables')
  await page.fill('#body', env.BODY)
  await page.waitForFunction(() => document.getElementById('preview').textContent.includes('any time'))
  result.preview = await page.textContent('#preview')
  result.managerMayApprove = !(await page.isDisabled('#approve'))
  await page.click('#save')
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('Draft version'))
  result.saved = await page.textContent('#status')

  await signIn(env.ADMIN)
  await page.fill('#body', env.BODY)
  await page.waitForFunction(() => !document.getElementById('approve').disabled)
  await page.click('#approve')
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('approved'))
  result.approved = await page.textContent('#status')
  result.currentAfter = await page.textContent('#current')
  await page.screenshot({ path: env.SHOT, fullPage: true })
  result.ok = true
} catch (err) {
  result.ok = false
  result.error = String(err)
}
await context.close()
process.stdout.write(JSON.stringify(result) + '\n')
