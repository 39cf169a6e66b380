// The `graphql` tag of the documents relay-compiler reads in the Relay compatibility test. The documents are only
// read as text, never run: this tag just lets them typecheck without relay-runtime.
export const graphql = String.raw;
