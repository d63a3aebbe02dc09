#!/usr/bin/env node
// Placeholder entry point; the command tree lands with the scaffolder.
console.log('jobs-kit')
