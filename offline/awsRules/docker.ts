// The Docker provider's build and push (docker.Image: a built image, or the copy of an existing one), and its registry
// look-up: what the provider, the Docker Engine or the registry refuses. Provider: pulumi-docker v4's native Image
// (provider/provider.go Check, provider/image.go dockerBuild) and terraform-provider-docker's data source; references
// as Docker parses them (ecr.ts's imageReference).
import * as fs from "node:fs";
import * as path from "node:path";
import { programDir } from "../../infra/paths";
import { Check, Inputs, TypeRules, Violation, isRecord, required, violation } from "./check";
import { dockerImage, imageReference, registryHost } from "./ecr";

// The hosts are the x86_64 ECS-optimized AMI (infra/components/imageRepository.ts): an image built, or a source
// resolved, for another platform fails there at start (exec format error).
const hostsPlatform: Check = (v) => v === "linux/amd64" ? undefined : "must be linux/amd64, the platform of the ECS hosts";

// The Pulumi CLI runs the provider in the program's folder, which resolves a relative context and Dockerfile.
const resolved = (p: string) => path.resolve(programDir, p);

// Docker refuses a context that is not a folder ("unable to prepare context: path not found"; docker/cli
// cli/command/image/build/context.go, ResolveAndValidateContextPath, which the provider calls).
const contextFolder: Check = (v) => typeof v === "string" && fs.statSync(resolved(v), { throwIfNoEntry: false })?.isDirectory() === true
    ? undefined : "must be a folder, relative to the program's folder (infra/)";

// The provider's Check refuses a Dockerfile it cannot open (provider/provider.go, "could not open dockerfile at relative path").
const dockerfileExists: Check = (v) => typeof v === "string" && fs.statSync(resolved(v), { throwIfNoEntry: false })?.isFile() === true
    ? undefined : "must be a Dockerfile the provider can open, relative to the program's folder (infra/)";

// https://docs.docker.com/reference/cli/docker/buildx/build/#build-arg (NAME=value pairs, sent as strings)
const buildArgs: Check = (v) => isRecord(v) && Object.entries(v).every(([key, value]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && typeof value === "string")
    ? undefined : "must map ARG names to string values";

export const image: TypeRules = {
    fields: {
        ...dockerImage.fields,
        "build.platform": [...[dockerImage.fields["build.platform"]].flat(), hostsPlatform],
        "build.context": contextFolder,
        "build.dockerfile": dockerfileExists,
        "build.args": buildArgs,
    },
    relations: (inputs, context) => [
        ...(dockerImage.relations?.(inputs, context) ?? []),
        ...defaultDockerfile(inputs),
        ...baseImages(inputs),
    ],
};

// Without them, the provider builds the context "." with its Dockerfile (provider/image.go, marshalBuildAndApplyDefaults).
const dockerfileOf = (build: Inputs) => typeof build.dockerfile === "string" ? build.dockerfile
    : path.join(typeof build.context === "string" ? build.context : ".", "Dockerfile");

function defaultDockerfile(inputs: Inputs): Violation[] {
    const build = isRecord(inputs.build) ? inputs.build : {};
    const missing = typeof build.dockerfile !== "string" && dockerfileExists(dockerfileOf(build)) !== undefined;
    return violation("build.dockerfile", build.dockerfile, missing ? `unset, the provider opens ${dockerfileOf(build)}, which it cannot` : undefined);
}

/**
 * What the Engine refuses of the Dockerfile's FROM lines once expanded. FROM may use the ARGs declared before the
 * first FROM, which take the build's args over their defaults
 * (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact); an unset one expands to
 * nothing, and BuildKit then refuses the blank base name, as it refuses an invalid reference.
 */
function baseImages(inputs: Inputs): Violation[] {
    const build = isRecord(inputs.build) ? inputs.build : {};
    const dockerfile = dockerfileOf(build);
    if (dockerfileExists(dockerfile) !== undefined) {
        return [];
    }
    const args = isRecord(build.args) ? build.args : {};
    const lines = fs.readFileSync(resolved(dockerfile), "utf8").replace(/\\\r?\n/g, " ").split(/\r?\n/)
        .map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
    const metaArgs = new Map<string, string>();
    const stages = new Set<string>(["scratch"]);
    let seenFrom = false;
    return lines.flatMap((line) => {
        const [instruction, ...words] = line.split(/\s+/);
        if (instruction.toUpperCase() === "ARG" && !seenFrom) {
            for (const word of words) {
                const [name, ...fallback] = word.split("=");
                const given = args[name];
                metaArgs.set(name, typeof given === "string" ? given : fallback.join("="));
            }
            return [];
        }
        if (instruction.toUpperCase() !== "FROM") {
            return [];
        }
        seenFrom = true;
        const [base, as, stage] = words.filter((word) => !word.startsWith("--"));
        if (as?.toUpperCase() === "AS" && stage !== undefined) {
            stages.add(stage.toLowerCase());
        }
        const used = [...(base ?? "").matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]);
        const expanded = (base ?? "").replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => metaArgs.get(name) ?? "");
        const property = used.length > 0 ? `build.args.${used[0]}` : "build.dockerfile";
        if (expanded === "") {
            return violation(property, args[used[0]], `FROM ${base}: the base name must not be blank (an ARG before FROM, set by the build args)`);
        }
        return stages.has(expanded.toLowerCase()) ? [] : violation(property, expanded, imageReference(expanded));
    });
}

export const getRegistryImage: TypeRules = {
    // data_source_docker_registry_image.go: the name, with a tag or a digest, as the registry is asked for it.
    fields: { name: [imageReference, dockerHubHost] },
    relations: (inputs) => required(inputs, ["name"]),
};

// kreuzwerker's parseImageOptions (internal/provider/resource_docker_image_funcs.go) sends the manifest HEAD to the
// host the name starts with, as written: docker.io and index.docker.io serve no registry API there, and given
// registry-1.docker.io it adds no `library/` before a one-part name. Docker Hub is reached by a name without a host.
function dockerHubHost(v: unknown): string | undefined {
    const host = typeof v === "string" ? registryHost(v)?.toLowerCase() : undefined;
    const onePart = typeof v === "string" && v.split("/").length === 2;
    return host === "docker.io" || host === "index.docker.io" || (host === "registry-1.docker.io" && onePart)
        ? `the look-up asks https://${host}/v2/... for it, which is no registry: name a Docker Hub image without its host`
        : undefined;
}
