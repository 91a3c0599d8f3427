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

/** Where the service's image comes from: built from a folder, or copied from an existing image. */
export type ImageRepositoryArgs =
    /** Absolute path of the folder with the Dockerfile: the build context. */
    | { readonly directory: string; readonly image?: undefined }
    /** An existing image reference (any registry), copied into the repository. */
    | { readonly image: string; readonly directory?: undefined };

/**
 * An ECR repository and the image built from one folder, or copied from an existing image, and pushed to it.
 * A built image's tag is a hash of the build context, so it moves only when the sources do; a copy's tag names
 * the digest copied. Tags are mutable so that a push of the same image again (another checkout, a revert, an
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
function builtImage(name: string, directory: string, { repositoryUrl, registryToken }: PushTarget, child: ChildOptions): pulumi.Output<string> {
    // The Pulumi CLI runs the program and the Docker provider in the program's folder (Pulumi.yaml's
    // `main`), which resolves a relative context; relative, two checkouts give the image the same inputs.
    const context = path.relative(programDir, directory);
    const image = new docker.Image(`${name}-image`, {
        build: {
            context,
            dockerfile: path.join(context, "Dockerfile"),
            platform: imagePlatform,
        },
        imageName: pulumi.interpolate`${repositoryUrl}:${contextTag(directory)}`,
        registry: {
            server: repositoryUrl,
            username: registryToken.userName,
            password: pulumi.secret(registryToken.password),
        },
    }, child(`${name}-image`));
    return image.repoDigest;
}

/**
 * `reference` copied into the repository: pulled by digest for the hosts' platform, tagged into the repository,
 * pushed; `repository@sha256:…` of the manifest ECR holds. Every name in the chain carries the digest pulled, so
 * the chain changes exactly when the image copied does: an `up` that finds the upstream tag where it was changes
 * nothing, and one that finds it moved replaces all three, the pull included. That matters because the provider
 * pulls only an image the Docker host lacks by that name (terraform-provider-docker v4.5.0
 * internal/provider/resource_docker_image_funcs.go, findImage), and tags only an image the host has
 * (resource_docker_tag_funcs.go): a pull named by a moving tag would keep the old image, and a tag replaced
 * without its pull would fail on a fresh CI runner.
 */
function copiedImage(name: string, reference: string, { repositoryUrl, registryToken }: PushTarget, child: ChildOptions,
    parent: pulumi.Resource): pulumi.Output<string> {
    const source = digestReference(reference, parent);
    // keepLocally stays false: removing a superseded pull removes `repository@<its digest>` from the Docker
    // host, never the image a replacement pulled under another digest (resource_docker_image_funcs.go, removeImage).
    const pull = new docker.RemoteImage(`${name}-pull`, {
        name: source,
        platform: imagePlatform,
    }, child(`${name}-pull`));
    const tag = new docker.Tag(`${name}-tag`, {
        // The image ID `docker inspect` gave after the pull: the very image pulled, whatever references the host has.
        sourceImage: pull.imageId,
        targetImage: pulumi.interpolate`${repositoryUrl}:${source.apply(copyTag)}`,
    }, child(`${name}-tag`));
    const push = new docker.RegistryImage(`${name}-push`, {
        name: tag.targetImage,
        // Deleting the resource deletes its digest from ECR (resource_docker_registry_image_funcs.go,
        // resourceDockerRegistryImageDelete): the task definition revision a rollback returns to may pin it, and a
        // replacement that pushed the same manifest would lose it. The lifecycle policy expires old copies instead.
        keepRemotely: true,
        // Credentials for this push only; the provider marks the password sensitive, and it stays a Pulumi secret.
        authConfig: {
            address: registryToken.proxyEndpoint,
            username: registryToken.userName,
            password: pulumi.secret(registryToken.password),
        },
    }, child(`${name}-push`));
    // sha256Digest is read back from ECR after the push (getImageDigestWithFallback): the manifest the hosts pull.
    // For a multi-platform upstream that is the linux/amd64 manifest, not the upstream index: Docker pushes only the
    // platform it pulled (moby/moby#48731 for the containerd image store; the classic store keeps only that one).
    return pulumi.interpolate`${repositoryUrl}@${push.sha256Digest}`;
}

/**
 * `reference` as `repository@sha256:…`: its own digest when it has one, else the digest its tag names now. The
 * docker_registry_image data source reads that from the tag's registry on every preview and up, with a manifest
 * HEAD (internal/provider/data_source_docker_registry_image.go), which Docker Hub does not count as a pull
 * (https://docs.docker.com/docker-hub/usage/pulls/). The tag is dropped: the digest names the image.
 */
function digestReference(reference: string, parent: pulumi.Resource): pulumi.Output<string> {
    const [named, digest] = reference.split("@");
    const repository = named.replace(/:[\w][\w.-]*$/, "");
    if (digest !== undefined) {
        return pulumi.output(`${repository}@${digest}`);
    }
    const current = docker.getRegistryImageOutput({ name: reference }, { parent });
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
