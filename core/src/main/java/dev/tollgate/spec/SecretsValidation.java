package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;
import static dev.tollgate.spec.Violations.element;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code $.secrets} (docs/migrations.md): each secret named once, by name or ARN, with the JSON keys
 * it must hold. Their versions are pinned before anything runs, so migrations and the release read the same ones.
 */
final class SecretsValidation {

    static final int MAX_SECRETS = 20;
    static final int MAX_REQUIRED_KEYS = 50;

    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html: names are 1-512 of these.
    static final Pattern SECRET_ID = Pattern.compile(
            "[A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern SECRET_KEY = Pattern.compile("[\\x21-\\x7E]{1,256}");
    private static final Set<String> FIELDS = Set.of("id", "requiredKeys");

    private final Violations violations;

    SecretsValidation(Violations violations) {
        this.violations = violations;
    }

    List<SecretRef> secrets(JsonNode request, String root) {
        Optional<JsonNode> array = violations.array(request, "secrets", root, false, 0, MAX_SECRETS);
        if (array.isEmpty()) {
            return List.of();
        }
        List<SecretRef> secrets = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int index = 0; index < array.get().size(); index++) {
            String at = element(child(root, "secrets"), index);
            JsonNode node = array.get().get(index);
            if (!node.isObject()) {
                violations.add(
                        at,
                        "must be an object, found " + Violations.describe(node),
                        "{\"id\": \"prod/checkout/db\", \"requiredKeys\": [\"password\"]}");
                continue;
            }
            violations.onlyKnownFields(node, at, FIELDS);
            Optional<String> id = violations.string(
                    node,
                    "id",
                    at,
                    true,
                    SECRET_ID,
                    "a Secrets Manager secret name (1 to 512 of A-Z a-z 0-9 / _ + = . @ -) or secret ARN");
            if (id.isPresent() && !ids.add(id.get())) {
                violations.add(child(at, "id"), "'" + id.get() + "' is listed twice", "each secret once");
            }
            List<String> keys = violations.stringList(
                    node,
                    "requiredKeys",
                    at,
                    0,
                    MAX_REQUIRED_KEYS,
                    SECRET_KEY,
                    "JSON key names of printable ASCII, 1 to 256 characters");
            if (id.isPresent() && keys != null) {
                secrets.add(new SecretRef(id.get(), keys));
            }
        }
        return secrets;
    }
}
