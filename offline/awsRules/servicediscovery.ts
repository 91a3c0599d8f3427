// Cloud Map: the HTTP namespace Service Connect names the services in.
import { TypeRules, length, pattern, required } from "./check";

export const httpNamespace: TypeRules = {
    fields: {
        // https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateHttpNamespace.html
        name: [length(1, 1024), pattern(/^(?!arn:)[!-~]{1,1024}$/, "printable ASCII without spaces, not starting with arn:")],
        description: length(0, 1024),
    },
    relations: (inputs) => required(inputs, ["name"]),
};
