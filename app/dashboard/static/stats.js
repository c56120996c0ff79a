// The statistics view: counts by status, category and team, overdue now, median times to
// first response and to resolution, SLA attainment per team and category, and a daily
// trend chart (Chart.js), all from /api/v1/stats for the chosen period.
import { categoryLabel, label } from '/dashboard/static/tickets.js'

const $ = (id) => document.getElementById(id)
let ctx = null
let chart = null

const isoDay = (date) => date.toLocaleDateString('en-CA') // YYYY-MM-DD in local time

export function setUpStats(context) {
  ctx = context
  const today = new Date()
  $('s-to').value = isoDay(today)
  $('s-from').value = isoDay(new Date(today.getTime() - 29 * 86400000))
  $('period').addEventListener('submit', (event) => { event.preventDefault(); loadStats() })
}

export async function loadStats() {
  ctx.showError('')
  const from = new Date(`${$('s-from').value}T00:00`)
  const to = new Date(`${$('s-to').value}T00:00`)
  to.setDate(to.getDate() + 1)
  document.body.dataset.statsLoaded = 'false'
  try {
    const stats = await ctx.api(`/api/v1/stats?from=${encodeURIComponent(from.toISOString())}` +
      `&to=${encodeURIComponent(to.toISOString())}`)
    renderCards(stats)
    renderTables(stats)
    renderChart(stats.trend)
    document.body.dataset.statsLoaded = 'true'
  } catch (err) {
    ctx.showError(`Could not load statistics: ${err.message}`)
  }
}

const hours = (h) => h === null || h === undefined ? '—' : h < 48 ? `${h} h` : `${(h / 24).toFixed(1)} days`
const percent = (x) => x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`

function renderCards(stats) {
  const cards = [
    ['Reported', stats.total, 'total'], ['Overdue now', stats.overdue_now, 'overdue'],
    ['Median to first response', hours(stats.median_first_response_hours), 'response'],
    ['Median to resolution', hours(stats.median_resolution_hours), 'resolution'],
  ]
  $('stat-cards').replaceChildren(...cards.map(([name, value, key]) => {
    const div = document.createElement('div')
    div.className = `card card-${key}`
    div.dataset.key = key
    const strong = document.createElement('strong')
    strong.textContent = String(value)
    const span = document.createElement('span')
    span.textContent = name
    div.append(strong, span)
    return div
  }))
}

function table(caption, headings, rows, key) {
  const t = document.createElement('table')
  t.className = 'stat'
  t.dataset.key = key
  t.createCaption().textContent = caption
  const head = t.createTHead().insertRow()
  for (const h of headings) head.append(Object.assign(document.createElement('th'), { textContent: h }))
  const body = t.createTBody()
  for (const cells of rows) {
    const tr = body.insertRow()
    for (const c of cells) tr.insertCell().textContent = String(c)
  }
  if (!rows.length) body.insertRow().insertCell().textContent = 'Nothing in this period'
  return t
}

function renderTables(s) {
  const attained = (a) => [a.resolved, a.within_sla, percent(a.attainment)]
  $('stat-tables').replaceChildren(
    table('By status', ['Status', 'Tickets'], Object.entries(s.by_status).map(([k, n]) => [label(k), n]), 'status'),
    table('By category', ['Category', 'Tickets'],
      Object.entries(s.by_category).map(([k, n]) => [categoryLabel(k), n]), 'category'),
    table('By team', ['Team', 'Tickets'], s.by_team.map((t) => [t.team, t.count]), 'team'),
    table('SLA attainment by team', ['Team', 'Resolved', 'Within SLA', 'Attainment'],
      s.sla_attainment_by_team.map((a) => [a.team, ...attained(a)]), 'sla-team'),
    table('SLA attainment by category', ['Category', 'Resolved', 'Within SLA', 'Attainment'],
      s.sla_attainment_by_category.map((a) => [categoryLabel(a.category), ...attained(a)]), 'sla-category'))
}

function renderChart(trend) {
  const data = {
    labels: trend.map((d) => d.day),
    datasets: [
      { label: 'Reported', data: trend.map((d) => d.created), borderColor: '#2458c7',
        backgroundColor: '#2458c733', tension: 0.2, fill: true },
      { label: 'Resolved or closed', data: trend.map((d) => d.resolved), borderColor: '#1c8a3c',
        backgroundColor: '#1c8a3c33', tension: 0.2 },
    ],
  }
  if (chart) { chart.data = data; chart.update(); return }
  chart = new window.Chart($('trend'), {
    type: 'line', data,
    options: { responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { title: { display: true, text: 'Reported and resolved per day' } } },
  })
}
