import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import "maplibre-gl/dist/maplibre-gl.css";
import "./styles.css";

import { App } from "./app/App.js";
import { I18nProvider } from "./i18n/index.js";
import { SessionProvider } from "./session/session.js";

const container = document.getElementById("root");
if (container === null) {
  throw new Error("index.html has no #root element.");
}

createRoot(container).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
