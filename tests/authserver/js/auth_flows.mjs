// Drives the local /auth/v1 with the real @supabase/supabase-js auth client and
// prints one JSON object of outcomes for the Python test to assert on.
// Env: SUPABASE_URL, SUPABASE_ANON_KEY, MANAGER_EMAIL, PASSWORD, TEST_PHONE, TEST_CODE
import { createClient } from "@supabase/supabase-js";

const env = process.env;
const client = () =>
  createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
const payload = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
const err = (e) => (e ? { status: e.status, code: e.code, message: e.message } : null);
const out = {};

// A manager signs in with a password.
const manager = client();
let r = await manager.auth.signInWithPassword({ email: env.MANAGER_EMAIL, password: env.PASSWORD });
out.password = { error: err(r.error), appMetadata: r.data.session && payload(r.data.session.access_token).app_metadata };
const first = r.data.session;
r = await manager.auth.getUser();
out.getUser = { error: err(r.error), email: r.data.user?.email };

// Refresh rotates the refresh token; the new access token keeps our claims.
r = await manager.auth.refreshSession();
out.refresh = {
  error: err(r.error),
  rotated: r.data.session ? r.data.session.refresh_token !== first.refresh_token : false,
  role: r.data.session && payload(r.data.session.access_token).app_metadata.role,
};

// Wrong password.
r = await client().auth.signInWithPassword({ email: env.MANAGER_EMAIL, password: "nope-nope" });
out.wrongPassword = err(r.error);

// Sign-out: the old session's token no longer finds its session.
const oldAccess = (await manager.auth.getSession()).data.session.access_token;
r = await manager.auth.signOut();
out.signOut = err(r.error);
r = await client().auth.getUser(oldAccess);
out.afterSignOut = err(r.error);

// A citizen signs in with a phone OTP, using the fixed test code.
const citizen = client();
r = await citizen.auth.signInWithOtp({ phone: env.TEST_PHONE });
out.otpSent = err(r.error);
r = await citizen.auth.verifyOtp({ phone: env.TEST_PHONE, token: "000000", type: "sms" });
out.wrongOtp = err(r.error);
r = await citizen.auth.verifyOtp({ phone: env.TEST_PHONE, token: env.TEST_CODE, type: "sms" });
out.otp = {
  error: err(r.error),
  phone: r.data.user?.phone,
  sub: r.data.session && payload(r.data.session.access_token).sub,
  amr: r.data.session && payload(r.data.session.access_token).amr[0].method,
};

console.log(JSON.stringify(out));
