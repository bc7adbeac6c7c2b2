// The playground: ask with a streamed, cited answer; upload, list and delete
// documents. Talks only to this origin's public API (/v1/…), with the API key
// the user enters (kept in sessionStorage: this tab only). Everything the
// server sends is written as text, never as HTML.
const KEY = 'ragnative.apiKey';
const $ = (id) => document.getElementById(id);

function headers(extra = {}) {
  const key = sessionStorage.getItem(KEY);
  return key ? { ...extra, authorization: `Bearer ${key}` } : extra;
}

/** A problem+json (or any failed response) as one readable line. */
async function problemOf(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return `${problem.detail || problem.title || response.statusText} (${response.status}${problem.code ? ` ${problem.code}` : ''})`;
  } catch {
    return `${response.status} ${response.statusText}${text ? `: ${text.slice(0, 300)}` : ''}`;
  }
}

function show(element, message) {
  element.textContent = message ?? '';
  element.hidden = !message;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// --- API key ----------------------------------------------------------------
function showKeyState() {
  $('key-state').textContent = sessionStorage.getItem(KEY) ? 'Key in use for this tab.' : 'No key: only a server without authentication will answer.';
}
$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('api-key').value.trim();
  // A header carries printable ASCII only; a pasted key with anything else is refused here, not by every request.
  if (key && !/^[\x21-\x7e]+$/.test(key)) {
    $('key-state').textContent = 'That key has characters an API key cannot contain.';
    return;
  }
  if (key) sessionStorage.setItem(KEY, key);
  $('api-key').value = '';
  showKeyState();
  refreshDocuments();
});
$('forget-key').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  showKeyState();
});

// --- What the API offers ----------------------------------------------------
async function loadOptions() {
  const response = await fetch('/openapi.json').catch(() => undefined);
  if (!response?.ok) return;
  const spec = await response.json().catch(() => ({}));
  const body = spec.paths?.['/v1/query']?.post?.requestBody?.content?.['application/json']?.schema;
  const schema = body?.$ref ? spec.components?.schemas?.[body.$ref.split('/').pop()] : body;
  const modes = schema?.properties?.retrieval?.properties?.mode?.enum ?? [];
  for (const mode of modes) $('mode').append(element('option', { value: mode }, mode));
  const max = schema?.properties?.topK?.maximum;
  if (Number.isInteger(max)) $('top-k').max = String(max);
}

// --- Asking -----------------------------------------------------------------
let answerText = '';

function highlight(n) {
  for (const card of document.querySelectorAll('.card')) card.classList.toggle('highlight', card.id === `citation-${n}`);
  const card = $(`citation-${n}`);
  if (card) {
    card.focus();
    card.scrollIntoView({ block: 'nearest' });
  }
}

/** The answer as text, each [n] a link to its citation card. */
function renderAnswer() {
  const target = $('answer');
  target.replaceChildren();
  for (const [i, part] of answerText.split(/(\[\d+\])/).entries()) {
    if (i % 2 === 0) {
      target.append(part);
      continue;
    }
    const n = part.slice(1, -1);
    const link = element('a', { href: `#citation-${n}`, class: 'cite', 'aria-label': `source ${n}` }, part);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      highlight(n);
    });
    target.append(link);
  }
}

function renderCitations(citations) {
  $('citations').replaceChildren(
    ...citations.map((c) => {
      const where = [c.page ? `page ${c.page}` : '', c.section ?? '', c.sheet ? `sheet ${c.sheet}` : ''].filter(Boolean).join(' · ');
      return element(
        'li',
        { id: `citation-${c.n}`, class: 'card', tabindex: '-1' },
        element('header', {}, element('span', { class: 'cite' }, `[${c.n}]`), element('strong', {}, c.source), element('span', { class: 'where' }, where), element('span', { class: 'score' }, `score ${Number(c.score).toFixed(3)}`)),
        element('p', {}, c.text),
      );
    }),
  );
}

function renderDone(result) {
  answerText = result.answer;
  renderAnswer();
  renderCitations(result.citations);
  const retrieval = result.retrieval ? `${result.retrieval.mode} retrieval` : '';
  $('answer-meta').textContent = [`answered by ${result.model}`, retrieval, result.fallback ? `(${result.fallback})` : ''].filter(Boolean).join(' · ');
  $('timings').replaceChildren(...Object.entries(result.timings ?? {}).flatMap(([name, ms]) => [element('dt', {}, name), element('dd', {}, `${Math.round(ms * 10) / 10} ms`)]));
}

/** Reads a text/event-stream body, calling onEvent(name, data) per event. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

$('ask-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = $('question').value.trim();
  if (!query) return;
  const mode = $('mode').value;
  const request = { query, topK: Number($('top-k').value), stream: true, ...(mode ? { retrieval: { mode } } : {}) };
  show($('problem'));
  answerText = '';
  renderAnswer();
  $('citations').replaceChildren();
  $('timings').replaceChildren();
  $('answer-meta').textContent = '';
  $('ask-button').disabled = true;
  $('answer').setAttribute('aria-busy', 'true');
  try {
    const response = await fetch('/v1/query', { method: 'POST', headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }), body: JSON.stringify(request) });
    if (!response.ok) return show($('problem'), await problemOf(response));
    let ended = false;
    await readEvents(response.body, (name, data) => {
      if (name === 'citations') renderCitations(data.citations);
      else if (name === 'delta') {
        answerText += data.text;
        renderAnswer();
      } else if (name === 'done') {
        ended = true;
        renderDone(data);
      } else if (name === 'error') {
        ended = true;
        show($('problem'), `${data.detail || data.title || 'The answer failed'}${data.code ? ` (${data.code})` : ''}`);
      }
    });
    if (!ended) show($('problem'), 'The answer stopped before it was complete.');
  } catch (error) {
    show($('problem'), `The request failed: ${error.message}`);
  } finally {
    $('ask-button').disabled = false;
    $('answer').setAttribute('aria-busy', 'false');
  }
});

// --- Documents --------------------------------------------------------------
const BUCKET_ID_PREFIX = 'obj-'; // documents the bucket wrote: removed by deleting the object, not here
let listed = ''; // what the table shows, so a refresh that changes nothing keeps the focus where it is
let refreshes = 0; // only the newest refresh may draw the table

async function refreshDocuments() {
  const mine = ++refreshes;
  const response = await fetch('/v1/documents?limit=1000', { headers: headers() }).catch((error) => ({ ok: false, error }));
  if (mine !== refreshes) return;
  if (!response.ok) return show($('documents-problem'), response.error ? `Listing failed: ${response.error.message}` : await problemOf(response));
  const list = await response.json().catch(() => undefined);
  if (mine !== refreshes) return;
  if (!list) return show($('documents-problem'), 'Listing failed: the answer was not JSON.');
  show($('documents-problem'));
  const signature = JSON.stringify(list.documents);
  if (signature === listed) return;
  listed = signature;
  $('document-table').tBodies[0].replaceChildren(...list.documents.map(documentRow));
}

function documentRow(d) {
  let action;
  if (d.id.startsWith(BUCKET_ID_PREFIX)) {
    action = element('span', { class: 'hint' }, 'from the bucket: delete the object there');
  } else {
    action = element('button', { type: 'button', 'aria-label': `Delete ${d.source} in ${d.tenant}` }, 'Delete');
    action.addEventListener('click', () => deleteDocument(d, action));
  }
  return element('tr', { 'data-id': d.id }, element('td', {}, d.source), element('td', {}, d.tenant), element('td', { class: 'id' }, d.id), element('td', {}, 'indexed'), element('td', {}, action));
}

async function deleteDocument(d, button) {
  button.disabled = true;
  const url = `/v1/documents/${encodeURIComponent(d.id)}?tenant=${encodeURIComponent(d.tenant)}`;
  const response = await fetch(url, { method: 'DELETE', headers: headers() }).catch((error) => ({ ok: false, error }));
  if (!response.ok) {
    button.disabled = false;
    return show($('documents-problem'), response.error ? `Delete failed: ${response.error.message}` : await problemOf(response));
  }
  $('refresh').focus();
  await refreshDocuments();
}

/** One upload: progress while sending, "indexing" while the server works, then indexed or failed with its reason. */
function upload(file) {
  const progress = element('progress', { max: '100', value: '0', 'aria-label': `Upload of ${file.name}` });
  const state = element('span', { class: 'state' }, 'uploading');
  const item = element('li', {}, element('strong', {}, file.name), progress, state);
  $('uploads').prepend(item);
  const form = new FormData();
  form.append('file', file, file.name);
  const request = new XMLHttpRequest();
  request.open('POST', '/v1/documents');
  for (const [name, value] of Object.entries(headers())) request.setRequestHeader(name, value);
  const fail = (reason) => {
    progress.remove();
    item.classList.add('failed');
    state.textContent = `failed: ${reason}`;
  };
  request.upload.addEventListener('progress', (event) => {
    if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
  });
  request.upload.addEventListener('load', () => {
    progress.value = 100;
    state.textContent = 'indexing';
  });
  request.addEventListener('load', async () => {
    let indexed;
    try {
      indexed = request.status >= 200 && request.status < 300 ? JSON.parse(request.responseText) : undefined;
    } catch {
      return fail(`the answer was not JSON (${request.status})`);
    }
    if (indexed) {
      progress.remove();
      state.textContent = `indexed: ${indexed.chunks} ${indexed.chunks === 1 ? 'chunk' : 'chunks'}${indexed.warnings?.length ? ` (${indexed.warnings.map((w) => w.detail).join('; ')})` : ''}`;
      await refreshDocuments();
    } else {
      fail(await problemOf(new Response(request.responseText, { status: request.status, statusText: request.statusText })));
    }
  });
  request.addEventListener('error', () => fail('the connection broke'));
  request.send(form);
}

$('file-input').addEventListener('change', () => {
  for (const file of $('file-input').files) upload(file);
  $('file-input').value = '';
});
const zone = $('drop-zone');
zone.addEventListener('dragover', (event) => {
  event.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (event) => {
  event.preventDefault();
  zone.classList.remove('over');
  for (const file of event.dataTransfer.files) upload(file);
});
$('refresh').addEventListener('click', refreshDocuments);

// Documents dropped into the bucket appear as they are indexed.
setInterval(() => {
  if (document.visibilityState === 'visible') refreshDocuments();
}, 5000);

showKeyState();
loadOptions();
refreshDocuments();
