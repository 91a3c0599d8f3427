import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

// Build output never enters the Docker context (.dockerignore), so it must not change the tag either.
const ignoredDirectories = new Set(["bin", "obj"]);

/**
 * A tag derived from the content of the Docker build context: the same sources give the same tag,
 * any change gives a new one, so tags never need to move and the repository can keep them immutable.
 */
export function contextTag(contextDir: string): string {
    const hash = createHash("sha256");
    for (const file of contextFiles(contextDir)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(contextDir, file))).update("\0");
    }
    return `src-${hash.digest("hex").slice(0, 16)}`;
}

function contextFiles(root: string, dir = ""): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((entry) => !(entry.isDirectory() && ignoredDirectories.has(entry.name)))
        .flatMap((entry) => {
            const relative = path.posix.join(dir, entry.name);
            return entry.isDirectory() ? contextFiles(root, relative) : [relative];
        })
        .sort();
}
