// @ts-check
/**
 * Serves files from one folder: content types, index.html for folders,
 * `/cart` for `cart.html`, and nothing outside the folder (no `..`, no
 * dotfiles, no symlinks that lead out).
 */
import fs from 'node:fs';
import path from 'node:path';

/** @type {Record<string, string>} */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Finds the file for a URL path under `root`.
 * @param {string} root
 * @param {string} urlPath the decoded path below root, starting with '/'
 * @returns {{ file: string } | { redirect: string } | null}
 */
export function resolveStatic(root, urlPath) {
  if (urlPath.includes('\0')) return null;
  const segments = urlPath.split('/').filter(Boolean);
  // '..' and dotfiles (.env, .git) are never served; '.' segments are harmless but odd: refuse those too.
  if (segments.some((s) => s.startsWith('.') || s.includes('\\'))) return null;
  let realRoot;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return null;
  }
  const base = path.join(realRoot, ...segments);
  const candidates = urlPath.endsWith('/') ? [path.join(base, 'index.html')] : [base, `${base}.html`];
  for (const candidate of candidates) {
    let real;
    try {
      real = fs.realpathSync(candidate);
    } catch {
      continue;
    }
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    const stat = fs.statSync(real);
    if (stat.isFile()) return { file: real };
    // A folder without its trailing slash: redirect, so the pages' relative links resolve inside it.
    if (stat.isDirectory() && candidate === base && fs.existsSync(path.join(real, 'index.html'))) return { redirect: `${urlPath}/` };
  }
  return null;
}

/**
 * Sends a file (or only its headers, for HEAD).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} file
 * @param {Record<string, string>} [headers]
 */
export function sendFile(req, res, file, headers = {}) {
  const stat = fs.statSync(file);
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'Cache-Control': 'no-cache',
    'Last-Modified': stat.mtime.toUTCString(),
    ...headers,
  });
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
