/*
 * Google Identity Services emulator (development only).
 * Stands in for https://accounts.google.com/gsi/client so sign-in works offline and in tests:
 * same globals (google.accounts.id.*), but the ID token is minted by this app's own
 * emulator endpoint instead of Google. Never serve this in production.
 */
(function () {
  'use strict'

  // document.currentScript is only set while this script first runs, so capture it now.
  const script = document.currentScript
  const loaded = window.google && window.google.accounts && window.google.accounts.id
  if (loaded && loaded.__emulator) return // second <script> tag: keep the first instance and its state

  const LAST_KEY = 'gsi-emulator:last'
  const LAST_NAME_KEY = 'gsi-emulator:last-name'
  const NO_AUTO_KEY = 'gsi-emulator:no-auto'
  const PRESETS = [
    { name: 'Ada Lovelace', email: 'ada@example.com', color: '#8430ce' },
    { name: 'Grace Hopper', email: 'grace@example.com', color: '#137333' },
    { name: 'Alan Turing', email: 'alan@example.org', color: '#c5221f' },
  ]
  // Consumer-looking domains; any other domain is treated as a Google Workspace domain (gets `hd`).
  const PUBLIC_DOMAINS = ['example.com', 'example.org', 'gmail.com']
  const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
  // English, or Traditional Chinese when the page asks for it as Google's script is asked: ?hl=zh-TW on its URL.
  const TEXTS = {
    'en': {
      signin_with: 'Sign in with Google', signup_with: 'Sign up with Google', continue_with: 'Continue with Google', signin: 'Sign in',
      badge: 'Google emulator — for development and tests', lastUsed: 'Last used', suggested: 'Suggested', choose: 'Choose an account',
      continueTo: 'to continue to ', other: 'Use another account', email: 'Email', name: 'Name (optional)', next: 'Continue', cancel: 'Cancel',
      close: 'Close', signingIn: 'Signing in…', badEmail: 'Enter a valid e-mail address, like jane@example.com.', noEmail: 'Enter an e-mail address.',
    },
    'zh-TW': {
      signin_with: '使用 Google 帳戶登入', signup_with: '使用 Google 帳戶註冊', continue_with: '使用 Google 帳戶繼續', signin: '登入',
      badge: 'Google 模擬器：僅供開發與測試', lastUsed: '上次使用', suggested: '建議', choose: '選擇帳戶',
      continueTo: '以繼續使用 ', other: '使用其他帳戶', email: '電子郵件', name: '名稱（選填）', next: '繼續', cancel: '取消',
      close: '關閉', signingIn: '正在登入…', badEmail: '請輸入有效的電子郵件地址，例如 jane@example.com。', noEmail: '請輸入電子郵件地址。',
    },
  }
  const languageOf = value => /^zh[-_](tw|hant)/i.test(value || '') ? 'zh-TW' : 'en'
  // The script's ?hl=, then the locale of the last button rendered (renderButton's `locale` option), as Google does.
  let language = (function () {
    try { return languageOf(new URL(script && script.src ? script.src : '', location.href).searchParams.get('hl')) }
    catch { return 'en' }
  })()
  const T = new Proxy({}, { get: (_, key) => TEXTS[language][key] })

  // The token endpoint sits next to this script, <...>/gsi/client -> <...>/gsi/token, so that a
  // CSP written for Google (connect-src https://accounts.google.com/gsi/) also covers it when
  // tests serve this script at Google's URL.
  const tokenUrl = (function () {
    try {
      const url = new URL(script && script.src ? script.src : '/_emulator/google/gsi/client', location.href)
      return url.origin + url.pathname.replace(/\/client\/?$/, '/token')
    }
    catch {
      return location.origin + '/_emulator/google/gsi/token'
    }
  })()

  let config = {}
  let current = null // the open chooser (only ever one, like Google's)

  // localStorage throws in some privacy modes; the emulator must still work there.
  const store = {
    get(k) {
      try { return localStorage.getItem(k) }
      catch { return null }
    },
    set(k, v) {
      try { localStorage.setItem(k, v) }
      catch { /* ignore */ }
    },
    del(k) {
      try { localStorage.removeItem(k) }
      catch { /* ignore */ }
    },
  }

  const norm = s => (typeof s === 'string' ? s.trim().toLowerCase() : '')

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag)
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue
      if (k === 'class') node.className = v
      else if (k === 'style') Object.assign(node.style, v) // CSSOM, so a strict style-src CSP can't block it
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
      else node.setAttribute(k, v === true ? '' : String(v))
    }
    for (const c of children.flat()) if (c != null && c !== false) node.append(c)
    return node
  }

  function logo() {
    const span = h('span', { 'class': 'gsi-emu-logo', 'aria-hidden': 'true' })
    span.innerHTML = '<svg viewBox="0 0 48 48" focusable="false"><path fill="#EA4335" d="M24 9.5c3.54 0 6.71 1.22 9.21 3.6l6.85-6.85C35.9 2.38 30.47 0 24 0 14.62 0 6.51 5.38 2.56 13.22l7.98 6.19C12.43 13.72 17.74 9.5 24 9.5z"/><path fill="#4285F4" d="M46.98 24.55c0-1.57-.15-3.09-.38-4.55H24v9.02h12.94c-.58 2.96-2.26 5.48-4.78 7.18l7.73 6c4.51-4.18 7.09-10.36 7.09-17.65z"/><path fill="#FBBC05" d="M10.53 28.59c-.48-1.45-.76-2.99-.76-4.59s.27-3.14.76-4.59l-7.98-6.19C.92 16.46 0 20.12 0 24c0 3.88.92 7.54 2.56 10.78l7.97-6.19z"/><path fill="#34A853" d="M24 48c6.48 0 11.93-2.13 15.89-5.81l-7.73-6c-2.15 1.45-4.92 2.3-8.16 2.3-6.26 0-11.57-4.22-13.47-9.91l-7.98 6.19C6.51 42.62 14.62 48 24 48z"/></svg>'
    return span
  }

  // Every rule is scoped to gsi-emu-* classes and sets its own colours/fonts, so host CSS
  // (e.g. Tailwind preflight) can't restyle us and nothing of ours leaks out.
  const CSS = `
.gsi-emu-root,.gsi-emu-root *{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;letter-spacing:normal;text-transform:none}
.gsi-emu-root [hidden]{display:none!important}
.gsi-emu-gbtn{display:inline-flex;align-items:center;gap:10px;max-width:400px;height:40px;margin:0;padding:0 12px;border:1px solid #dadce0;border-radius:4px;background:#fff;color:#3c4043;font-size:14px;font-weight:500;line-height:1;white-space:nowrap;cursor:pointer;transition:background-color .15s,border-color .15s}
.gsi-emu-gbtn:hover{background:#f7f9fe;border-color:#d2e3fc}
.gsi-emu-gbtn[data-theme=filled_blue]{background:#1a73e8;border-color:#1a73e8;color:#fff}
.gsi-emu-gbtn[data-theme=filled_blue]:hover{background:#1765cc}
.gsi-emu-gbtn[data-theme=filled_black]{background:#202124;border-color:#202124;color:#fff}
.gsi-emu-gbtn[data-theme=filled_black]:hover{background:#3c4043}
.gsi-emu-gbtn[data-theme^=filled] .gsi-emu-logo{background:#fff;border-radius:50%;padding:3px;margin-left:-6px}
.gsi-emu-gbtn[data-size=medium]{height:32px}
.gsi-emu-gbtn[data-size=small]{height:24px;padding:0 8px;gap:6px;font-size:12px}
.gsi-emu-gbtn[data-shape=pill]{border-radius:20px}
.gsi-emu-gbtn .gsi-emu-label{flex:1;text-align:center}
.gsi-emu-logo{display:inline-flex;flex:none}
.gsi-emu-logo svg{width:18px;height:18px;display:block}
.gsi-emu-gbtn[data-size=small] .gsi-emu-logo svg{width:14px;height:14px}
.gsi-emu-root button:focus-visible,.gsi-emu-gbtn:focus-visible,.gsi-emu-input:focus-visible{outline:2px solid #1a73e8;outline-offset:2px}
.gsi-emu-backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:16px;background:rgba(32,33,36,.5)}
.gsi-emu-card{position:relative;width:100%;max-width:420px;max-height:calc(100vh - 32px);overflow:auto;margin:0;padding:24px;border-radius:12px;background:#fff;color:#202124;font-size:14px;line-height:1.45;text-align:left;box-shadow:0 1px 3px rgba(60,64,67,.3),0 4px 12px 4px rgba(60,64,67,.15)}
.gsi-emu-card:focus{outline:none}
.gsi-emu-onetap{position:fixed;top:16px;right:16px;z-index:2147483000;width:380px;max-width:calc(100vw - 32px);padding:16px}
.gsi-emu-head{display:flex;align-items:center;gap:8px;margin:0 0 12px;color:#3c4043;font-size:14px}
.gsi-emu-x{display:inline-flex;align-items:center;justify-content:center;flex:none;margin:-6px -6px -6px auto;width:36px;height:36px;padding:0;border:0;border-radius:50%;background:transparent;color:#5f6368;font-size:22px;line-height:1;cursor:pointer}
.gsi-emu-x:hover{background:#f1f3f4}
.gsi-emu-badge{display:inline-block;margin:0 0 14px;padding:3px 8px;border:1px solid #f2d58a;border-radius:4px;background:#fef7e0;color:#6b4400;font-size:12px;font-weight:600}
.gsi-emu-title{margin:0;color:#202124;font-size:22px;font-weight:400;line-height:1.3}
.gsi-emu-onetap .gsi-emu-title{font-size:18px}
.gsi-emu-sub{margin:4px 0 16px;color:#5f6368;font-size:14px;overflow-wrap:anywhere}
.gsi-emu-sub strong{color:#1a73e8;font-weight:500}
.gsi-emu-list{list-style:none;margin:0;padding:0;border-top:1px solid #e8eaed}
.gsi-emu-list li{margin:0;padding:0;border-bottom:1px solid #e8eaed}
.gsi-emu-acct{display:flex;align-items:center;gap:12px;width:100%;min-height:56px;margin:0;padding:8px;border:0;border-radius:0;background:transparent;color:#202124;font-size:14px;text-align:left;cursor:pointer}
.gsi-emu-acct:hover:not(:disabled){background:#f1f3f4}
.gsi-emu-root button:disabled{cursor:default;opacity:.55}
.gsi-emu-avatar{display:inline-flex;align-items:center;justify-content:center;flex:none;width:32px;height:32px;border-radius:50%;background:#5f6368;color:#fff;font-size:15px;font-weight:500}
.gsi-emu-avatar.gsi-emu-plus{background:#fff;border:1px solid #dadce0;color:#5f6368;font-size:20px;font-weight:400}
.gsi-emu-who{display:flex;flex-direction:column;min-width:0}
.gsi-emu-name{font-weight:500;color:#3c4043;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.gsi-emu-mail{color:#5f6368;font-size:12px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.gsi-emu-tag{flex:none;margin-left:auto;padding:2px 8px;border-radius:10px;background:#e8f0fe;color:#174ea6;font-size:11px;font-weight:500}
.gsi-emu-form{display:grid;gap:12px;margin:0;padding:16px 0 4px}
.gsi-emu-field{display:grid;gap:4px;color:#3c4043;font-size:13px;font-weight:500}
.gsi-emu-input{width:100%;height:40px;margin:0;padding:0 12px;border:1px solid #80868b;border-radius:4px;background:#fff;color:#202124;font-size:16px}
.gsi-emu-input:focus{border-color:#1a73e8}
.gsi-emu-input[aria-invalid=true]{border-color:#d93025}
.gsi-emu-err{margin:0;color:#c5221f;font-size:12px}
.gsi-emu-err:empty,.gsi-emu-alert:empty,.gsi-emu-status:empty{display:none}
.gsi-emu-alert{margin:12px 0 0;padding:8px 12px;border-radius:4px;background:#fce8e6;color:#a50e0e;font-size:13px}
.gsi-emu-status{display:flex;align-items:center;gap:8px;margin:12px 0 0;color:#174ea6;font-size:13px;font-weight:500}
.gsi-emu-status::before{content:"";width:14px;height:14px;border:2px solid #d2e3fc;border-top-color:#1a73e8;border-radius:50%;animation:gsi-emu-spin .8s linear infinite}
@keyframes gsi-emu-spin{to{transform:rotate(360deg)}}
.gsi-emu-actions{display:flex;justify-content:flex-end;gap:8px;margin:16px 0 0}
.gsi-emu-primary,.gsi-emu-text{height:36px;margin:0;padding:0 20px;border:0;border-radius:18px;font-size:14px;font-weight:500;cursor:pointer}
.gsi-emu-primary{background:#1a73e8;color:#fff}
.gsi-emu-primary:hover:not(:disabled){background:#1765cc}
.gsi-emu-text{background:transparent;color:#1a73e8}
.gsi-emu-text:hover:not(:disabled){background:#f1f6fe}
@media (prefers-reduced-motion:reduce){.gsi-emu-status::before{animation:none}}
/* Below desktop widths One Tap is a bottom sheet, as Google's is on phones: the page's own button and notices stay visible. */
@media (max-width:1023px){.gsi-emu-onetap{top:auto;right:0;bottom:0;left:0;width:auto;max-width:none;max-height:45vh;border-radius:16px 16px 0 0}}`

  function ensureStyle() {
    if (document.getElementById('gsi-emu-style')) return;
    (document.head || document.documentElement).append(h('style', { id: 'gsi-emu-style' }, CSS))
  }

  function nameFromEmail(email) {
    return email.split('@')[0].split(/[._+-]+/).filter(Boolean)
      .map(w => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || email
  }

  function accountFor(email) {
    const preset = PRESETS.find(a => a.email === email)
    if (preset) return { ...preset }
    // Keep the name the user typed last time so repeat sign-ins don't rename them.
    const name = email === norm(store.get(LAST_KEY)) && store.get(LAST_NAME_KEY)
    return { name: name || nameFromEmail(email), email, color: '#5f6368' }
  }

  // Presets, with the last-used account and then the login_hint account pulled to the top.
  function accountList() {
    const list = PRESETS.map(a => ({ ...a }))
    const pin = [[norm(store.get(LAST_KEY)), T.lastUsed], [norm(config.login_hint), T.suggested]]
    for (const [email, tag] of pin) {
      if (!EMAIL_RE.test(email)) continue // login_hint may also be a Google user id: ignore those
      const i = list.findIndex(a => a.email === email)
      const acct = i >= 0 ? list.splice(i, 1)[0] : accountFor(email)
      list.unshift({ ...acct, tag })
    }
    return list
  }

  function autoAccount() {
    if (!config.auto_select || store.get(NO_AUTO_KEY)) return null
    const hint = norm(config.login_hint)
    const last = norm(store.get(LAST_KEY))
    // With a hint, only auto-pick an account Google would "know"; without one, Google picks the returning user.
    const email = hint ? (PRESETS.some(a => a.email === hint) || hint === last ? hint : '') : last
    return EMAIL_RE.test(email) ? accountFor(email) : null
  }

  function hostedDomain(email) {
    const domain = email.split('@').pop().toLowerCase()
    if (norm(config.hd) === domain) return domain
    return PUBLIC_DOMAINS.includes(domain) ? undefined : domain
  }

  // The button honours ux_mode; One Tap (and auto-select) redirects only when there is no callback, like Google.
  function isRedirect(flow) {
    return flow === 'btn' ? config.ux_mode === 'redirect' : typeof config.callback !== 'function'
  }

  async function mint(account, redirect) {
    const body = { email: account.email, name: account.name }
    if (config.nonce && !redirect) body.nonce = config.nonce
    if (config.client_id) body.aud = config.client_id
    const hd = hostedDomain(account.email)
    if (hd) body.hd = hd
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    })
    let data = null
    try { data = await res.json() }
    catch { /* non-JSON error page */ }
    if (res.ok && data && typeof data.credential === 'string') return data.credential
    const reason = data && (data.statusMessage || data.message || data.error)
    throw new Error(typeof reason === 'string' && reason ? reason : `token endpoint answered ${res.status}`)
  }

  function postRedirect(credential) {
    const csrf = Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('')
    // Double-submit cookie: the server checks the cookie equals the posted field, as with real Google.
    document.cookie = `g_csrf_token=${csrf}; Path=/; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`
    const form = h('form', { method: 'POST', action: config.login_uri || location.origin + '/api/auth/google', hidden: true },
      h('input', { type: 'hidden', name: 'credential', value: credential }),
      h('input', { type: 'hidden', name: 'g_csrf_token', value: csrf }))
    document.body.append(form)
    form.submit()
  }

  async function choose(account, flow, ui) {
    if (ui) ui.busy(true)
    let credential
    try {
      credential = await mint(account, isRedirect(flow))
    }
    catch (err) {
      if (ui && current === ui) { ui.busy(false); ui.fail(err.message) }
      else if (!ui) openChooser('onetap', null, err.message) // failed auto-select: let the user see why
      return
    }
    if (ui && current !== ui) return // closed while minting: like closing Google's popup
    store.set(LAST_KEY, account.email)
    store.set(LAST_NAME_KEY, account.name)
    if (flow !== 'auto') store.del(NO_AUTO_KEY) // an explicit sign-in re-enables auto-select, as Google does
    closeChooser()
    if (isRedirect(flow)) return postRedirect(credential)
    if (typeof config.callback !== 'function') return console.warn('[gsi-emulator] initialize() was given no callback')
    config.callback({ credential, select_by: { btn: 'btn', onetap: 'user', auto: 'auto' }[flow], clientId: config.client_id })
  }

  function onKeydown(e) {
    if (!current) return
    if (e.key === 'Escape') { e.preventDefault(); closeChooser(); return }
    if (e.key !== 'Tab' || !current.modal) return
    // Modal: keep Tab cycling inside the dialog.
    const card = current.card
    const items = [...card.querySelectorAll('button,input')].filter(n => !n.disabled && n.getClientRects().length)
    if (!items.length) return
    const active = document.activeElement
    const first = items[0]
    const last = items[items.length - 1]
    if (e.shiftKey && (active === first || active === card || !card.contains(active))) { e.preventDefault(); last.focus() }
    else if (!e.shiftKey && (active === last || !card.contains(active))) { e.preventDefault(); first.focus() }
  }

  function onPointerdown(e) {
    if (!current || current.card.contains(e.target)) return
    if (current.modal ? e.target === current.root : config.cancel_on_tap_outside !== false) closeChooser()
  }

  function closeChooser() {
    if (!current) return
    const c = current
    current = null
    document.removeEventListener('keydown', onKeydown, true)
    document.removeEventListener('pointerdown', onPointerdown, true)
    const hadFocus = c.root.contains(document.activeElement)
    c.root.remove()
    if ((c.modal || hadFocus) && c.returnFocus && c.returnFocus.isConnected) c.returnFocus.focus()
  }

  function openChooser(flow, returnFocus, error) {
    closeChooser()
    ensureStyle()
    const modal = flow === 'btn'
    const id = 'gsi-emu-' + Math.random().toString(36).slice(2, 8)
    const alertBox = h('p', { class: 'gsi-emu-alert', role: 'alert' })
    const status = h('p', { class: 'gsi-emu-status', role: 'status' })
    let lastTrigger = null
    const ui = {}
    const pick = (account, trigger) => { lastTrigger = trigger; choose(account, flow, ui) }

    const accounts = accountList().map((a) => {
      const btn = h('button', { 'type': 'button', 'class': 'gsi-emu-acct', 'data-testid': 'gsi-emulator-account', 'data-email': a.email },
        h('span', { 'class': 'gsi-emu-avatar', 'aria-hidden': 'true', 'style': { background: a.color } }, a.name.charAt(0).toUpperCase()),
        h('span', { class: 'gsi-emu-who' }, h('span', { class: 'gsi-emu-name' }, a.name), h('span', { class: 'gsi-emu-mail' }, a.email)),
        a.tag && h('span', { class: 'gsi-emu-tag' }, a.tag))
      btn.addEventListener('click', () => pick(a, btn))
      return h('li', null, btn)
    })

    const email = h('input', { 'class': 'gsi-emu-input', 'id': id + '-email', 'type': 'email', 'name': 'email', 'required': true,
      'autocomplete': 'email', 'inputmode': 'email', 'spellcheck': 'false', 'aria-describedby': id + '-err' })
    const name = h('input', { class: 'gsi-emu-input', id: id + '-name', type: 'text', name: 'name', autocomplete: 'name' })
    const emailErr = h('p', { 'class': 'gsi-emu-err', 'id': id + '-err', 'aria-live': 'polite' })
    const submit = h('button', { 'type': 'submit', 'class': 'gsi-emu-primary', 'data-testid': 'gsi-emulator-continue' }, T.next)
    const form = h('form', { class: 'gsi-emu-form', id: id + '-form', novalidate: true, hidden: true },
      h('label', { class: 'gsi-emu-field', for: email.id }, T.email, email), emailErr,
      h('label', { class: 'gsi-emu-field', for: name.id }, T.name, name),
      h('div', { class: 'gsi-emu-actions' }, submit))
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const value = norm(email.value)
      if (!EMAIL_RE.test(value)) {
        emailErr.textContent = value ? T.badEmail : T.noEmail
        email.setAttribute('aria-invalid', 'true')
        email.focus()
        return
      }
      emailErr.textContent = ''
      email.removeAttribute('aria-invalid')
      pick({ email: value, name: name.value.trim() || nameFromEmail(value), color: '#5f6368' }, submit)
    })

    const other = h('button', { 'type': 'button', 'class': 'gsi-emu-acct', 'data-testid': 'gsi-emulator-other',
      'aria-expanded': 'false', 'aria-controls': form.id },
    h('span', { 'class': 'gsi-emu-avatar gsi-emu-plus', 'aria-hidden': 'true' }, '+'),
    h('span', { class: 'gsi-emu-name' }, T.other))
    other.addEventListener('click', () => {
      form.hidden = false
      other.setAttribute('aria-expanded', 'true')
      email.focus()
    })

    const close = () => closeChooser()
    const card = h('div', { 'class': 'gsi-emu-card' + (modal ? '' : ' gsi-emu-root gsi-emu-onetap'), 'role': 'dialog',
      'aria-modal': modal ? 'true' : 'false', 'aria-labelledby': id + '-title', 'aria-describedby': id + '-sub', 'tabindex': '-1' },
    h('div', { class: 'gsi-emu-head' }, logo(), h('span', null, T.signin_with),
      h('button', { 'type': 'button', 'class': 'gsi-emu-x', 'aria-label': T.close, 'onclick': close }, '×')),
    h('span', { class: 'gsi-emu-badge' }, T.badge),
    h('h2', { class: 'gsi-emu-title', id: id + '-title' }, T.choose),
    h('p', { class: 'gsi-emu-sub', id: id + '-sub' }, T.continueTo, h('strong', null, location.host)),
    h('ul', { class: 'gsi-emu-list' }, accounts, h('li', null, other)),
    form, status, alertBox,
    h('div', { class: 'gsi-emu-actions' },
      h('button', { 'type': 'button', 'class': 'gsi-emu-text', 'data-testid': 'gsi-emulator-cancel', 'onclick': close }, T.cancel)))
    const root = modal ? h('div', { class: 'gsi-emu-root gsi-emu-backdrop' }, card) : card

    Object.assign(ui, {
      root, card, modal, returnFocus: returnFocus || document.activeElement,
      busy(on) {
        // Cancel and × stay usable so a hung token endpoint can't trap the user.
        for (const n of card.querySelectorAll('.gsi-emu-acct, .gsi-emu-primary, .gsi-emu-input')) n.disabled = on
        card.setAttribute('aria-busy', String(on))
        status.textContent = on ? T.signingIn : ''
        if (on) { alertBox.textContent = ''; if (!card.contains(document.activeElement) || document.activeElement.disabled) card.focus() }
        else if (lastTrigger && lastTrigger.isConnected) lastTrigger.focus()
      },
      fail(msg) { alertBox.textContent = `Sign-in failed: ${msg}. Please try again.` },
    })
    if (error) ui.fail(error)

    current = ui
    document.body.append(root)
    document.addEventListener('keydown', onKeydown, true)
    document.addEventListener('pointerdown', onPointerdown, true)
    // One Tap appears unprompted, so it must not steal focus; the button flow was user-initiated.
    if (modal) (card.querySelector('.gsi-emu-acct') || card).focus()
  }

  function renderButton(parent, options) {
    if (!parent || typeof parent.append !== 'function') return console.warn('[gsi-emulator] renderButton() needs an element')
    ensureStyle()
    const o = options || {}
    if (o.locale) language = languageOf(o.locale)
    const theme = ['outline', 'filled_blue', 'filled_black'].includes(o.theme) ? o.theme : 'outline'
    const size = ['large', 'medium', 'small'].includes(o.size) ? o.size : 'large'
    const btn = h('button', { 'type': 'button', 'class': 'gsi-emu-root gsi-emu-gbtn', 'data-testid': 'gsi-emulator-button',
      'data-theme': theme, 'data-size': size, 'data-shape': o.shape, 'title': T.badge,
      'aria-label': o.text === 'signin' ? T.signin_with : null },
    logo(), h('span', { class: 'gsi-emu-label' }, T[o.text] || T.signin_with))
    const width = parseInt(o.width, 10)
    if (width > 0) btn.style.width = Math.min(Math.max(width, 200), 400) + 'px' // Google's own clamp
    btn.addEventListener('click', () => openChooser('btn', btn))
    parent.textContent = ''
    parent.append(btn)
  }

  function prompt(momentListener) {
    const notify = () => {
      if (typeof momentListener !== 'function') return
      const type = 'display'
      momentListener({ getMomentType: () => type, isDisplayMoment: () => true, isDisplayed: () => true,
        isNotDisplayed: () => false, isSkippedMoment: () => false, isDismissedMoment: () => false })
    }
    const auto = autoAccount()
    if (auto) { choose(auto, 'auto', null); notify(); return }
    openChooser('onetap', null)
    notify()
  }

  const id = {
    __emulator: true,
    initialize(cfg) {
      config = { ...(cfg || {}) }
      if (!config.client_id) console.warn('[gsi-emulator] initialize() called without client_id')
    },
    renderButton,
    prompt,
    disableAutoSelect() { store.set(NO_AUTO_KEY, '1') },
    cancel() { closeChooser() },
    revoke(hint, cb) { if (typeof cb === 'function') cb({ successful: true }) },
  }

  // Merge rather than replace: other Google libraries (Maps, gapi) may already own window.google.
  window.google = window.google || {}
  window.google.accounts = window.google.accounts || {}
  window.google.accounts.id = id

  if (typeof window.onGoogleLibraryLoad === 'function') {
    try { window.onGoogleLibraryLoad() }
    catch (err) { console.error(err) }
  }
})()
