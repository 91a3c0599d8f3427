import { createHash } from "node:crypto";
import * as path from "node:path";
import * as ecr from "@pulumi/aws/ecr";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions, childOptionsOf } from "../aliases";
import { contextTag } from "../models/imageTag";
import { programDir } from "../paths";

// The hosts are the x86_64 ECS-optimized AMI (config refuses arm64 types).
const imagePlatform = "linux/amd64";
// Images the lifecycle policy keeps, tagged or not: a rebuild that moves a tag leaves the image a task
// definition still pins untagged, so untagged images must not expire by age, only by count.
const imagesKept = 10;

/**
 * Where the service's image comes from: built from a folder, or copied from an existing image; and the repository's
 * tags besides the provider's default ones (the service's).
 */
export type ImageRepositoryArgs = { readonly tags: Readonly<Record<string, string>> } & (
    /** Absolute path of the folder with the Dockerfile: the build context. */
    | { readonly directory: string; readonly image?: undefined }
    /** An existing image reference (any registry), copied into the repository. */
    | { readonly image: string; readonly directory?: undefined });

/**
 * An ECR repository and the image built from one folder, or copied from an existing image, and pushed to it;
 * either is one docker.Image, the provider's build and push. A built image's tag is a hash of the build context, so
 * it moves only when the sources do; a copy's tag names the digest copied. Tags are mutable so that a push of the same image again (another checkout, a revert, an
 * `up` interrupted after its push) succeeds instead of failing on ImageTagAlreadyExistsException. Deployments
 * never read the tag: they pin `repoDigest`.
 */
export class ImageRepository extends pulumi.ComponentResource {
    public readonly repository: ecr.Repository;
    /** `repository@sha256:…` of the pushed image. */
    public readonly repoDigest: pulumi.Output<string>;

    constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:ImageRepository", name, {}, opts);
        const child = childOptionsOf(this, name);

        this.repository = new ecr.Repository(`${name}-repository`, {
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "MUTABLE",
            encryptionConfigurations: [{ encryptionType: "AES256" }],
            // Images pushed by this stack must not keep `pulumi destroy` from deleting the repository.
            forceDelete: true,
            tags: args.tags,
        }, child(`${name}-repository`));
        new ecr.LifecyclePolicy(`${name}-repository-lifecycle`, {
            repository: this.repository.name,
            policy: JSON.stringify({
                rules: [{
                    rulePriority: 1,
                    description: `Keep the ${imagesKept} most recent images`,
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: imagesKept },
                    action: { type: "expire" },
                }],
            }),
        }, child(`${name}-repository-lifecycle`));

        const registryToken = ecr.getAuthorizationTokenOutput({ registryId: this.repository.registryId }, { parent: this });
        const target: PushTarget = { repositoryUrl: this.repository.repositoryUrl, registryToken };
        this.repoDigest = args.image !== undefined
            ? copiedImage(name, args.image, target, child, this)
            : builtImage(name, args.directory, target, child);
        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, repoDigest: this.repoDigest });
    }
}

/** The repository an image is pushed to, and the ECR token that logs in to its registry. */
interface PushTarget {
    readonly repositoryUrl: pulumi.Output<string>;
    readonly registryToken: pulumi.Output<ecr.GetAuthorizationTokenResult>;
}

/** The image built from `directory` and pushed to the repository: `repository@sha256:…`. */
function builtImage(name: string, directory: string, target: PushTarget, child: ChildOptions): pulumi.Output<string> {
    return pushedImage(name, buildOf(directory), contextTag(directory), target, child);
}

// The build context of every copy: a Dockerfile that is `FROM ${SOURCE_IMAGE}` and nothing else.
const copyContextDirectory = path.join(__dirname, "imageCopy");

/**
 * `reference` copied into the repository, through the same build and push as a built image: the copy's build
 * context is infra/components/imageCopy, whose Dockerfile is only `FROM ${SOURCE_IMAGE}` (an ARG declared before the
 * first FROM may be used in it: https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact),
 * and the build arg SOURCE_IMAGE is the source pinned by digest, `repository@sha256:…`. The build's platform is the
 * one FROM resolves a multi-platform source for when FROM names none
 * (https://docs.docker.com/reference/dockerfile/#from, "--platform"): the linux/amd64 image of the source. The
 * provider passes build.args to the Docker Engine as build args and pulls the FROM image with the Docker CLI's stored
 * credentials (pulumi-docker provider/image.go, dockerBuild and marshalArgs); it diffs the resource on its inputs,
 * build.args included, but not on the registry's username and password (provider/provider.go, Diff and diffUpdates:
 * the ECR token that changes on every call changes nothing), and its Read returns the state as stored (provider.go,
 * Read: `--refresh` on a fresh CI runner neither drops nor re-creates it). So the source's digest reaches
 * everything that changes: a moved upstream tag is a new build arg and a new ECR tag, hence a build and push, a new
 * repoDigest and a new task definition revision; an `up` that finds it where it was sends identical inputs.
 */
function copiedImage(name: string, reference: string, target: PushTarget, child: ChildOptions, parent: pulumi.Resource): pulumi.Output<string> {
    const source = pinnedSource(reference, parent);
    return pushedImage(name, { ...buildOf(copyContextDirectory), args: { SOURCE_IMAGE: source } }, source.apply(copyTag), target, child);
}

/** The build of the folder `directory`, as the provider reads it. */
function buildOf(directory: string): docker.types.input.DockerBuild {
    // The Pulumi CLI runs the program and the Docker provider in the program's folder (Pulumi.yaml's
    // `main`), which resolves a relative context; relative, two checkouts give the image the same inputs.
    const context = path.relative(programDir, directory);
    return { context, dockerfile: path.join(context, "Dockerfile"), platform: imagePlatform };
}

/** `build` built and pushed to the repository under `tag`, logged in with the ECR token: `repository@sha256:…`. */
function pushedImage(name: string, build: docker.types.input.DockerBuild, tag: pulumi.Input<string>,
    { repositoryUrl, registryToken }: PushTarget, child: ChildOptions): pulumi.Output<string> {
    const image = new docker.Image(`${name}-image`, {
        build,
        imageName: pulumi.interpolate`${repositoryUrl}:${tag}`,
        registry: {
            server: repositoryUrl,
            username: registryToken.userName,
            password: pulumi.secret(registryToken.password),
        },
    }, child(`${name}-image`));
    return image.repoDigest;
}

// Docker Hub's names for itself. Docker reads a reference without a host as Docker Hub's and a one-part name as
// `library/<name>` there (https://docs.docker.com/reference/cli/docker/image/tag/#description), which the look-up does
// too; but given one of these hosts, the look-up sends its manifest HEAD to that host as written, and docker.io and
// index.docker.io serve no registry API (kreuzwerker/terraform-provider-docker internal/provider
// resource_docker_image_funcs.go, parseImageOptions, and data_source_docker_registry_image.go, getImageDigest).
const dockerHubHosts = ["docker.io", "index.docker.io", "registry-1.docker.io"];

/**
 * `reference` as Docker shows a Docker Hub image: without a Docker Hub host, and without `library/` before a
 * one-part name (`docker.io/library/tomcat:9` is `tomcat:9`). Any other reference is returned as it is. Two
 * spellings of one image give one look-up, one build arg and one ECR tag.
 */
export function familiarReference(reference: string): string {
    const [first, ...rest] = reference.split("/");
    const hub = rest.length > 0 && dockerHubHosts.includes(first.toLowerCase());
    const hasHost = rest.length > 0 && (/[.:]/.test(first) || first === "localhost");
    const name = hub ? rest.join("/") : reference;
    return (hub || !hasHost) && /^library\/[^/]+$/.test(name) ? name.slice("library/".length) : name;
}

/**
 * `reference` pinned: `repository@sha256:…`, by its own digest when it has one (no look-up), else by the digest its
 * tag names now. The docker_registry_image data source reads that from the tag's registry on every preview and up,
 * with a manifest HEAD (internal/provider/data_source_docker_registry_image.go), which Docker Hub does not count as a
 * pull (https://docs.docker.com/docker-hub/usage/pulls/). The tag is dropped: the digest names the image.
 */
function pinnedSource(reference: string, parent: pulumi.Resource): pulumi.Output<string> {
    const familiar = familiarReference(reference);
    const [named, digest] = familiar.split("@");
    const repository = named.replace(/:[\w][\w.-]*$/, "");
    if (digest !== undefined) {
        return pulumi.output(`${repository}@${digest}`);
    }
    const current = docker.getRegistryImageOutput({ name: familiar }, { parent });
    return pulumi.interpolate`${repository}@${current.sha256Digest}`;
}

// Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} (https://docs.docker.com/reference/cli/docker/image/tag/).
const maxTagLength = 128;

/**
 * The ECR tag a copy of `source` (`repository@sha256:…`) is pushed under: the reference with each run of other
 * characters as `-`, so the console shows what was copied; past 128 characters, cut and ended with a hash of the whole.
 */
export function copyTag(source: string): string {
    const readable = source.replace(/[^\w.-]+/g, "-");
    if (readable.length <= maxTagLength) {
        return readable;
    }
    const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
    return `${readable.slice(0, maxTagLength - hash.length - 1)}-${hash}`;
}
