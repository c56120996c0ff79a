// Drives the local /storage/v1 gateway with the real @supabase/supabase-js and
// prints one JSON object of outcomes for the Python test to assert on.
// Env: SUPABASE_URL, SUPABASE_ANON_KEY, CITIZEN_TOKEN, OTHER_CITIZEN_TOKEN,
//      MANAGER_TOKEN, SAPS_TOKEN, TENANT_ID, CITIZEN_ID, TICKET_ID, SENSITIVE_TICKET_ID
import { createClient } from "@supabase/supabase-js";

const env = process.env;
const as = (token) =>
  createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    global: { headers: { Authorization: `Bearer ${token}` } },
    auth: { persistSession: false, autoRefreshToken: false },
  }).storage;
const err = (e) => (e ? { status: e.status, statusCode: e.statusCode, message: e.message } : null);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7, 6]);
const id = () => crypto.randomUUID();
const out = {};

const citizen = as(env.CITIZEN_TOKEN).from("evidence");
const own = `${env.TENANT_ID}/${env.CITIZEN_ID}/${id()}.png`;

// Blob upload (multipart) into the citizen's own folder, then download.
let r = await citizen.upload(own, new Blob([png], { type: "image/png" }));
out.ownUpload = { key: r.data?.fullPath, error: err(r.error) };
r = await citizen.download(own);
out.ownDownload = r.data ? Array.from(new Uint8Array(await r.data.arrayBuffer())) : err(r.error);

// Raw body upload (ArrayBuffer) into a ticket the citizen reported.
const ticketPath = `${env.TENANT_ID}/${env.TICKET_ID}/${id()}.jpg`;
r = await citizen.upload(ticketPath, jpeg.buffer, { contentType: "image/jpeg" });
out.ticketUpload = { key: r.data?.fullPath, error: err(r.error) };
r = await as(env.MANAGER_TOKEN).from("evidence").download(ticketPath);
out.managerReadsTicketEvidence = r.data ? r.data.size : err(r.error);

// Another municipality's citizen: neither read nor write.
r = await as(env.OTHER_CITIZEN_TOKEN).from("evidence").download(own);
out.crossTenantRead = err(r.error);
r = await as(env.OTHER_CITIZEN_TOKEN).from("evidence").upload(`${env.TENANT_ID}/${env.CITIZEN_ID}/${id()}.png`, png, { contentType: "image/png" });
out.crossTenantWrite = err(r.error);

// Sensitive evidence: a SAPS liaison uploads and reads; a manager cannot read.
const gbv = `${env.TENANT_ID}/${env.SENSITIVE_TICKET_ID}/${id()}.jpg`;
r = await as(env.SAPS_TOKEN).from("gbv-evidence").upload(gbv, jpeg, { contentType: "image/jpeg" });
out.sapsUpload = { key: r.data?.fullPath, error: err(r.error) };
r = await as(env.SAPS_TOKEN).from("gbv-evidence").download(gbv);
out.sapsRead = r.data ? r.data.size : err(r.error);
r = await as(env.MANAGER_TOKEN).from("gbv-evidence").download(gbv);
out.managerReadsGbv = err(r.error);
r = await as(env.MANAGER_TOKEN).from("gbv-evidence").createSignedUrl(gbv, 60);
out.managerSignsGbv = err(r.error);

// Signed URLs: work, then expire.
r = await citizen.createSignedUrl(own, 1);
out.signedUrl = r.data?.signedUrl ?? null;
let res = await fetch(r.data.signedUrl);
out.signedFetch = { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
await new Promise((ok) => setTimeout(ok, 2100));
res = await fetch(r.data.signedUrl);
out.signedExpired = { status: res.status, body: await res.json() };

// Upsert semantics.
r = await citizen.upload(own, jpeg, { contentType: "image/jpeg" });
out.duplicate = err(r.error);
r = await citizen.upload(own, jpeg, { contentType: "image/jpeg", upsert: true });
out.upsert = { key: r.data?.fullPath, error: err(r.error) };
r = await citizen.download(own);
out.afterUpsert = r.data ? r.data.type : err(r.error);

// Limits: type and size.
r = await citizen.upload(`${env.TENANT_ID}/${env.CITIZEN_ID}/${id()}.txt`, "hello", { contentType: "text/plain" });
out.wrongType = err(r.error);
r = await citizen.upload(`${env.TENANT_ID}/${env.CITIZEN_ID}/${id()}.jpg`, new Uint8Array(16 * 1024 * 1024 + 1), { contentType: "image/jpeg" });
out.tooLarge = err(r.error);

// Signed upload URL, then PUT to it.
const docs = as(env.CITIZEN_TOKEN).from("documents");
const doc = `${env.TENANT_ID}/${env.CITIZEN_ID}/${id()}.png`;
r = await docs.createSignedUploadUrl(doc);
out.signedUploadUrl = { ok: !!r.data?.token, error: err(r.error) };
r = await docs.uploadToSignedUrl(doc, r.data.token, new Blob([png], { type: "image/png" }));
out.signedUpload = { key: r.data?.fullPath, error: err(r.error) };

// List and remove.
r = await docs.list(`${env.TENANT_ID}/${env.CITIZEN_ID}`);
out.listed = r.data ? r.data.map((e) => e.name) : err(r.error);
r = await docs.remove([doc]);
out.removed = r.data ? r.data.map((e) => e.name) : err(r.error);

console.log(JSON.stringify(out));
