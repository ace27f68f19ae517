import { defineConfig } from "vite";

// The UI is plain Preact + TypeScript; esbuild compiles the JSX.
// The Fluent files live in ../locales, shared with the Rust side.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: { fs: { allow: [".."] } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2021", chunkSizeWarningLimit: 1000 },
  test: { environment: "jsdom" },
} as never);
