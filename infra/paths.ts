import * as path from "node:path";

/** The program's folder (Pulumi.yaml's `main`): the Pulumi CLI runs the program and its providers here. */
export const programDir = __dirname;

/** The repository's root, where Pulumi.yaml, the stack files and the service folders (`imageDirectory`) are. */
export const repoRoot = path.dirname(programDir);
