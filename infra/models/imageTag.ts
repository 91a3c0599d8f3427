import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import ignore from "@balena/dockerignore";

/**
 * A tag derived from what Docker sends as the build context: every file `.dockerignore` lets through,
 * by its path relative to the context, its executable bit and its content. The same sources give the
 * same tag at any checkout path on any machine; a file Docker never sees (README, tests, build output)
 * cannot change it.
 */
export function contextTag(contextDir: string): string {
    const hash = createHash("sha256");
    for (const file of contextFiles(contextDir)) {
        const absolute = path.join(contextDir, file);
        const executable = (fs.statSync(absolute).mode & 0o111) !== 0 ? "x" : "-";
        hash.update(file).update("\0").update(executable).update("\0").update(fs.readFileSync(absolute)).update("\0");
    }
    return `src-${hash.digest("hex").slice(0, 16)}`;
}

/** The files of the build context Docker sends, relative, sorted. */
export function contextFiles(contextDir: string): string[] {
    const ignoreFile = path.join(contextDir, ".dockerignore");
    const patterns = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : [];
    const ignored = ignore().add(patterns);
    // An excluded directory is not walked (bin/ and obj/ hold hundreds of build outputs): everything under
    // it is excluded too, unless the file has an exception (`!pattern`), in which case everything is walked.
    const skipsDirectory = patterns.some((line) => line.trim().startsWith("!"))
        ? () => false
        : (dir: string) => ignored.ignores(dir);
    return walk(contextDir, "", skipsDirectory).filter((file) => !ignored.ignores(file)).sort();
}

function walk(root: string, dir: string, skipsDirectory: (dir: string) => boolean): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.posix.join(dir, entry.name);
        if (!entry.isDirectory()) {
            return [relative];
        }
        return skipsDirectory(relative) ? [] : walk(root, relative, skipsDirectory);
    });
}
