package dev.tollgate.fakes;

import dev.tollgate.json.Json;
import dev.tollgate.release.ReleaseRecord;
import dev.tollgate.release.ReleaseStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Releases in memory, each kept as the JSON the table would hold, so what cannot be written and read back fails here too. */
public final class InMemoryReleaseStore implements ReleaseStore {

    private final Map<String, String> documents = new HashMap<>();

    @Override
    public synchronized boolean create(ReleaseRecord record) {
        return documents.putIfAbsent(record.releaseId(), Json.write(record)) == null;
    }

    @Override
    public synchronized Optional<ReleaseRecord> find(String releaseId) {
        return Optional.ofNullable(documents.get(releaseId)).map(document -> Json.read(document, ReleaseRecord.class));
    }

    @Override
    public synchronized ReleaseRecord update(String releaseId, UnaryOperator<ReleaseRecord> change) {
        ReleaseRecord changed = change.apply(find(releaseId).orElseThrow());
        documents.put(releaseId, Json.write(changed));
        return changed;
    }
}
