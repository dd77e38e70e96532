package io.tether.api.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import io.tether.api.connection.PropError;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.SourceProvider;

/**
 * A type's source and sink providers in one class, so that one DS component registers both (and holds what they share
 * with the factory): {@code @Component(service = {SourceProvider.class, SinkProvider.class, YourNodes.class}, ...)}.
 * <p>
 * Both {@code validate} methods check the connection props with {@link NodeProps#connectionProblems} (only when the
 * props name no {@code connectionSelector}) and add what {@link #sourceProblems} or {@link #sinkProblems} find in the
 * node's own props.
 */
public abstract class NodeProviders implements SourceProvider, SinkProvider {
    private final Function<Map<String, Object>, List<PropError>> connectionCheck;

    /** @param connectionCheck the factory's check of connection props; it must let the node's own props pass */
    protected NodeProviders(Function<Map<String, Object>, List<PropError>> connectionCheck) {
        this.connectionCheck = Objects.requireNonNull(connectionCheck, "connectionCheck");
    }

    /** What is wrong with a source's own props (not the connection's): nothing, unless overridden. */
    protected List<PropError> sourceProblems(String datasource, Map<String, Object> props) {
        return List.of();
    }

    /** What is wrong with a sink's own props (not the connection's): nothing, unless overridden. */
    protected List<PropError> sinkProblems(Map<String, Object> props) {
        return List.of();
    }

    @Override
    public List<PropError> validate(String datasource, Map<String, Object> props) {
        return problems(sourceProblems(datasource, props), props);
    }

    @Override
    public List<PropError> validate(Map<String, Object> props) {
        return problems(sinkProblems(props), props);
    }

    /** None beyond the schema's {@code writeOnly} props and the pool's own rules, unless overridden. */
    @Override
    public Set<String> secretProps() {
        return Set.of();
    }

    private List<PropError> problems(List<PropError> own, Map<String, Object> props) {
        List<PropError> problems = new ArrayList<>(own);
        problems.addAll(NodeProps.connectionProblems(props, connectionCheck));
        return problems;
    }
}
