export * from "./bootstrap.js";
export * from "./organisations.js";
export * from "./passwords.js";
export * from "./sessions.js";
export * from "./users.js";
export * from "./administration.js";
export * from "./login.js";
