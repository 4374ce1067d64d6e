// vscode-languageclient, bundled on its own as dist/languageclient.js (see
// scripts/build.mjs) and required by extension.ts only when it starts the
// server, after activate() has returned: evaluating the library is most of the
// client's load time, and nothing else in activate() needs it.
export { LanguageClient, RevealOutputChannelOn, State, TransportKind } from 'vscode-languageclient/node';
