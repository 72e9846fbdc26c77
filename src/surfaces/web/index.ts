/** @module surfaces/web — the web dashboard (`homelab serve`), generated from the registry. */
export { serveCommand, isLoopback } from './command.js';
export { startWebServer, createWebState, type WebServer, type WebServerOptions } from './server.js';
export { createWebApp } from './app.js';
export { hashPassword, verifyPassword, setPassword, loadPasswords, passwordsFile } from './passwords.js';
export { pictureAssets, pictureScripts, pictureStyles, pictureViews, type Asset, type PictureView } from './chart-slot.js';
