package io.tether.api.io;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The rule layer's side of a running source. */
@ProviderType
public interface SourceContext extends NodeContext {

    /** Hands on a raw message, decoded by the rule layer as the stream's FORMAT says. */
    void emit(RawMessage message);

    /** Hands on a record that the source decoded itself (a row, a reading), with metadata. */
    void emitRecord(Map<String, Object> record, Map<String, Object> meta);

    /** The state the source saved last, empty at first start; kept with the rule across restarts. */
    Map<String, Object> state();

    /** Saves the source's small state (e.g. the last index read). */
    void saveState(Map<String, Object> state);
}
