// Joins one private channel with the real @supabase/supabase-js and reports
// what arrived, as JSON lines on stdout:
//   {"ready": true|false, "status": ..., "error": ...}   once the join settles
//   {"done": true, "messages": [...], "system": [...], "closed": bool, "statuses": [...]}
// Env: SUPABASE_URL, SUPABASE_ANON_KEY, ACCESS_TOKEN, TOPIC, VSN (1.0.0|2.0.0),
//      EXPECT (messages to wait for), WAIT_MS (give up after), WAIT_CLOSE (1: wait for close).
import { createClient } from '@supabase/supabase-js'

const env = process.env
const expect = Number(env.EXPECT || 0)
const waitMs = Number(env.WAIT_MS || 5000)
const options = {
  realtime: { vsn: env.VSN || '2.0.0', heartbeatIntervalMs: 25000 },
  auth: { persistSession: false, autoRefreshToken: false },
}
if (env.ACCESS_TOKEN) options.accessToken = async () => env.ACCESS_TOKEN
const supabase = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, options)

// As Supabase's docs say for private channels: set the token before joining.
await supabase.realtime.setAuth(env.ACCESS_TOKEN || null)

const messages = []
const system = []
const statuses = []
let closed = false
let reported = false
const print = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const finish = async () => {
  print({ done: true, messages, system, closed, statuses })
  await supabase.removeAllChannels()
  process.exit(0)
}

const channel = supabase
  .channel(env.TOPIC, { config: { private: true } })
  .on('broadcast', { event: '*' }, (msg) => {
    messages.push(msg)
    if (expect && messages.length >= expect && env.WAIT_CLOSE !== '1') finish()
  })
  .on('system', {}, (msg) => system.push(msg))

channel.subscribe((status, err) => {
  statuses.push(status)
  if (!reported && status !== 'CLOSED') {
    reported = true
    print({ ready: status === 'SUBSCRIBED', status, error: err ? String(err.message || err) : null })
    if (status !== 'SUBSCRIBED') finish()
  }
  if (status === 'CLOSED' || status === 'CHANNEL_ERROR') {
    closed = status === 'CLOSED'
    if (env.WAIT_CLOSE === '1') finish()
  }
})

setTimeout(finish, waitMs)
