// The Docker provider's pull, tag and push of an existing image, and its registry look-up: what the
// provider, the Docker Engine or the registry refuses. Provider: pulumi-docker v5 (terraform-provider-docker
// v4.5.0, internal/provider); references as Docker parses them (ecr.ts's imageReference).
import { Check, Inputs, TypeRules, Violation, isRecord, pattern, required, violation } from "./check";
import { imageReference, registryHost } from "./ecr";

// The hosts are the x86_64 ECS-optimized AMI (infra/components/imageRepository.ts): an image pulled for another
// platform is copied as it is and fails there at start (exec format error).
const hostsPlatform: Check = (v) => v === "linux/amd64" ? undefined : "must be linux/amd64, the platform of the ECS hosts";

// An image ID as `docker inspect` gives it (resource_docker_tag_funcs.go tags from the Engine's image ID as well as a name).
const imageOrId: Check = (v) => typeof v === "string" && /^sha256:[0-9a-f]{64}$/.test(v) ? undefined : imageReference(v);

// The Docker client refuses to create a tag with a digest reference (github.com/docker/docker client/image_tag.go, ImageTag).
const noDigest: Check = (v) => typeof v === "string" && v.includes("@") ? "must not have a digest: a tag is [host/]name:tag" : undefined;

// https://www.pulumi.com/registry/packages/docker/api-docs/registryimage/#authconfig (address of the registry)
const registryAddress = pattern(/^(https?:\/\/)?[a-zA-Z0-9.-]+(:\d+)?(\/.*)?$/, "a registry host[:port], optionally with a scheme");

export const remoteImage: TypeRules = {
    fields: {
        name: imageReference,
        platform: hostsPlatform,
    },
    relations: (inputs) => required(inputs, ["name"]),
};

export const tag: TypeRules = {
    fields: {
        sourceImage: imageOrId,
        targetImage: [imageReference, noDigest],
    },
    relations: (inputs) => required(inputs, ["sourceImage", "targetImage"]),
};

export const registryImage: TypeRules = {
    fields: {
        name: imageReference,
        "authConfig.address": registryAddress,
    },
    relations: (inputs) => [
        ...required(inputs, ["name"]),
        ...pushCredentials(inputs),
    ],
};

// resource_docker_registry_image_funcs.go pushes with auth_config's username and password to the registry the
// name starts with: credentials for another registry do not log in there, and ECR refuses an unauthenticated push.
function pushCredentials(inputs: Inputs): Violation[] {
    const auth = isRecord(inputs.authConfig) ? inputs.authConfig : undefined;
    if (auth === undefined) {
        return [];
    }
    const address = typeof auth.address === "string" ? auth.address.replace(/^https?:\/\//, "").split("/")[0] : undefined;
    const nameHost = typeof inputs.name === "string" ? registryHost(inputs.name) : undefined;
    const given = ["username", "password"].filter((key) => typeof auth[key] === "string" && auth[key] !== "");
    const ecr = address !== undefined && /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(address);
    return [
        ...required(auth, ["address"], "authConfig"),
        ...violation("name", inputs.name, address !== undefined && nameHost !== address
            ? `must be in the registry ${address} its authConfig logs in to` : undefined),
        ...violation("authConfig", given, ecr && given.length !== 2 ? "ECR refuses a push without both username and password" : undefined),
    ];
}

export const getRegistryImage: TypeRules = {
    // data_source_docker_registry_image.go: the name, with a tag or a digest, as the registry is asked for it.
    fields: { name: imageReference },
    relations: (inputs) => required(inputs, ["name"]),
};
