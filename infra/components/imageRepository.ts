import * as path from "node:path";
import * as ecr from "@pulumi/aws/ecr";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { childOptionsOf } from "../aliases";
import { contextTag } from "../models/imageTag";
import { programDir } from "../paths";

// The hosts are the x86_64 ECS-optimized AMI (config refuses arm64 types).
const imagePlatform = "linux/amd64";
// Images the lifecycle policy keeps, tagged or not: a rebuild that moves a tag leaves the image a task
// definition still pins untagged, so untagged images must not expire by age, only by count.
const imagesKept = 10;

export interface ImageRepositoryArgs {
    /** Absolute path of the folder with the Dockerfile: the build context. */
    readonly directory: string;
}

/**
 * An ECR repository and the image built from one folder and pushed to it. The tag is a hash of the build
 * context, so it moves only when the sources do; tags are mutable so that a rebuild of the same sources
 * (another checkout, a revert, an `up` interrupted after its push) pushes again instead of failing on
 * ImageTagAlreadyExistsException. Deployments never read the tag: they pin `repoDigest`.
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
        // The Pulumi CLI runs the program and the Docker provider in the program's folder (Pulumi.yaml's
        // `main`), which resolves a relative context; relative, two checkouts give the image the same inputs.
        const context = path.relative(programDir, args.directory);
        const image = new docker.Image(`${name}-image`, {
            build: {
                context,
                dockerfile: path.join(context, "Dockerfile"),
                platform: imagePlatform,
            },
            imageName: pulumi.interpolate`${this.repository.repositoryUrl}:${contextTag(args.directory)}`,
            registry: {
                server: this.repository.repositoryUrl,
                username: registryToken.userName,
                password: pulumi.secret(registryToken.password),
            },
        }, child(`${name}-image`));
        this.repoDigest = image.repoDigest;
        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, repoDigest: this.repoDigest });
    }
}
