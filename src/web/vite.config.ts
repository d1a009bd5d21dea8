import path from "node:path";
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

import { koreaOutlinePlugin } from "./map/korea-outline-plugin.js";

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(webRoot, "../..");

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react(), koreaOutlinePlugin()],
  build: {
    outDir: path.join(repositoryRoot, "dist/web"),
    emptyOutDir: true,
    // maplibre-gl 6.20 alone is about 1.1 MB minified, over Vite's default warning limit of 500 kB.
    chunkSizeWarningLimit: 2_000,
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      "/api": "http://127.0.0.1:8080",
    },
  },
  preview: {
    host: "127.0.0.1",
  },
});
