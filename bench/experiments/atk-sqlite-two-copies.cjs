// Two copies of SQLite in one process (a second better-sqlite3 copy, or libsql beside better-sqlite3) do not
// share POSIX locks: both connections get the write lock at once (https://www.sqlite.org/howtocorrupt.html 2.2).
// Usage: mkdir -p /tmp/bs3/node_modules && cp -r node_modules/better-sqlite3 node_modules/bindings node_modules/file-uri-to-path /tmp/bs3/node_modules/ && node bench/experiments/atk-sqlite-two-copies.cjs
const A = require('better-sqlite3')
const B = require('/tmp/bs3/node_modules/better-sqlite3')
const f = '/tmp/bs3/x.db'
require('fs').rmSync(f, { force: true })
const a = new A(f); a.exec('CREATE TABLE t (v)'); a.pragma('busy_timeout = 20')
const b = new B(f); b.pragma('busy_timeout = 20')
a.exec('BEGIN IMMEDIATE'); a.exec("INSERT INTO t VALUES ('a')")
try { b.exec('BEGIN IMMEDIATE'); b.exec("INSERT INTO t VALUES ('b')"); console.log('second copy ALSO got the write lock'); b.exec('COMMIT') } catch (e) { console.log('refused:', e.code) }
try { a.exec('COMMIT') } catch (e) { console.log('first commit:', e.code) } // SQLITE_IOERR_DELETE_NOENT here
