package io.tether.rule.internal.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tether.api.connection.ConnectionPool;
import io.tether.api.connection.ConnectorFactory;
import io.tether.api.connection.PropError;
import io.tether.api.connection.SchemaPart;
import io.tether.api.io.Sink;
import io.tether.api.io.SinkProvider;
import io.tether.api.io.Source;
import io.tether.api.io.SourceProvider;
import io.tether.api.kit.RuntimeStart;
import io.tether.rule.internal.RuleException;
import io.tether.rule.internal.cache.SinkCache;
import io.tether.rule.internal.model.Action;
import io.tether.rule.internal.model.RuleDefinition;
import io.tether.rule.internal.sql.SelectStatement;
import io.tether.rule.internal.sql.Sql;
import io.tether.rule.internal.sql.SqlException;
import io.tether.rule.internal.sql.StreamDefinition;
import io.tether.rule.internal.sql.StreamSchema;
import io.tether.rule.internal.store.RuleStore;
import io.tether.rule.internal.store.SourceStateStore;
import io.tether.rule.internal.store.StoredState;

/**
 * Streams and rules: their definitions, kept in the {@link RuleStore}, and the runs of the rules. Rules the user
 * did not stop are started again when the component activates. All changes are serialized on this object.
 */
@Component(service = RuleEngine.class, immediate = true, configurationPid = RuleEngine.POOL_PID)
public class RuleEngine {
    /** The pool's configuration, whose directories the engine shares. */
    static final String POOL_PID = "io.tether.pool";
    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
    private static final Pattern ID = Pattern.compile("^[a-zA-Z0-9_-]+$");
    /** The first retry of a type the pool refused while its factory was registered; doubled up to the last. */
    private static final long LAG_RETRY_FIRST_MILLIS = 10;
    private static final long LAG_RETRY_LAST_MILLIS = 1000;

    private final ConnectionPool pool;
    private final RuleStore store;
    private final SourceStateStore sourceStates;
    private final SourceConfigurations sourceConfigurations;
    private final ConnectionStatusGauges gauges;
    private final SinkCacheGauges cacheGauges;
    /** {@code <data directory>/cache}: the sink caches, {@code <ruleId>/<sinkOperatorId>} each. */
    private final Path cacheRoot;
    /**
     * Runs the resends of the sink caches and the retries of connection types the pool lagged behind on; its thread
     * starts with the first task.
     */
    private final ScheduledThreadPoolExecutor cacheScheduler;
    private final Secrets secrets;
    private final Providers providers = new Providers();
    /** Set when running in the framework, which starts the connector bundles after this one. */
    private RuntimeStart runtimeStart;
    private final RuleWorkers workers = new RuleWorkers();
    private final Map<String, String> streams = new TreeMap<>();
    private final Map<String, RuleDefinition> rules = new TreeMap<>();
    private final Map<String, RuleRun> runs = new TreeMap<>();
    private final Map<String, StartFailure> startFailures = new TreeMap<>();
    /** The connection types whose {@link ConnectorFactory} services are registered now, with how many of each. */
    private final Map<String, Integer> connectionTypes = new HashMap<>();
    /** Types the pool refused although their factory is registered: the retries so far, and those scheduled. */
    private final Map<String, Integer> lagRetries = new HashMap<>();
    private final Set<String> lagRetriesScheduled = new HashSet<>();
    private final Map<String, SharedSource> sharedSources = new TreeMap<>();
    private boolean active;
    private Duration sinkOutagePatience = SinkNode.OUTAGE_PATIENCE;

    @Activate
    public RuleEngine(BundleContext context, @Reference ConnectionPool pool, EngineConfiguration config) {
        this(pool, directory(config.dataDirectory(), context, "tether.data.dir", "TETHER_DATA_DIR", "data"),
                directory(config.homeDirectory(), context, "tether.home", "TETHER_HOME", "."),
                PrometheusRegistry.defaultRegistry);
        runtimeStart = RuntimeStart.follow(context, providers::runtimeStarting);
    }

    /**
     * Outside the framework: tests, with no connector types but the built-in ones until some are added.
     *
     * @param home     the directory holding {@code etc/sources/<type>.yaml}
     * @param registry where the rules' connection status gauges are registered
     */
    public RuleEngine(ConnectionPool pool, Path dataDirectory, Path home, PrometheusRegistry registry) {
        this.pool = pool;
        this.store = new RuleStore(dataDirectory);
        try {
            this.sourceStates = new SourceStateStore(dataDirectory);
            this.secrets = new Secrets(pool, dataDirectory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the rule layer's data: " + e.getMessage(), e);
        }
        this.sourceConfigurations = new SourceConfigurations(home);
        this.gauges = new ConnectionStatusGauges(registry);
        this.cacheGauges = new SinkCacheGauges(registry);
        this.cacheRoot = dataDirectory.resolve("cache");
        this.cacheScheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "tether-sink-cache");
            thread.setDaemon(true);
            return thread;
        });
        cacheScheduler.setRemoveOnCancelPolicy(true);
    }

    @Activate
    public synchronized void activate() {
        StoredState state;
        try {
            state = store.load();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the rule store: " + e.getMessage(), e);
        }
        streams.putAll(state.streams());
        state.rules().forEach(rule -> rules.put(rule.id(), rule));
        active = true;
        rules.values().stream().filter(RuleDefinition::triggered).forEach(this::startRun);
    }

    @Deactivate
    public synchronized void deactivate() {
        if (runtimeStart != null) {
            runtimeStart.close();
        }
        providers.runtimeStarting(false);
        active = false;
        new ArrayList<>(runs.keySet()).forEach(this::stopRun);
        workers.close();
        cacheScheduler.shutdownNow();
        gauges.unregister();
        cacheGauges.unregister();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + ConnectorFactory.TYPE_PROPERTY + "=*)")
    synchronized void addSourceProvider(SourceProvider provider, Map<String, Object> properties) {
        String type = type(properties);
        declareSecrets(type, provider.secretProps());
        if (providers.addSource(type, provider, ranking(properties), serviceId(properties))) {
            sourceProviderChanged(type);
        }
        startWaitingRules();
    }

    /**
     * A type went (its bundle stopped, was updated or uninstalled): the running rules stay running, only their
     * nodes of that type are closed, and they are created again when the type returns (SPEC §7). When another
     * provider of the type stands by, the nodes move to it at once.
     */
    synchronized void removeSourceProvider(SourceProvider provider, Map<String, Object> properties) {
        String type = type(properties);
        if (providers.removeSource(type, provider)) {
            sourceProviderChanged(type);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + ConnectorFactory.TYPE_PROPERTY + "=*)")
    synchronized void addSinkProvider(SinkProvider provider, Map<String, Object> properties) {
        String type = type(properties);
        declareSecrets(type, provider.secretProps());
        if (providers.addSink(type, provider, ranking(properties), serviceId(properties))) {
            sinkProviderChanged(type);
        }
        startWaitingRules();
    }

    /** As {@link #removeSourceProvider}. */
    synchronized void removeSinkProvider(SinkProvider provider, Map<String, Object> properties) {
        String type = type(properties);
        if (providers.removeSink(type, provider)) {
            sinkProviderChanged(type);
        }
    }

    /**
     * A connection type came: rules and nodes that the pool refused for want of it (their provider's bundle
     * registered before its factory, or the factory came back last) start and open. Only the registration is read.
     */
    @Reference(service = ConnectorFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(" + ConnectorFactory.TYPE_PROPERTY + "=*)")
    synchronized void addConnectorFactory(Map<String, Object> properties) {
        String type = connectionType(properties);
        connectionTypes.merge(type, 1, Integer::sum);
        connectionTypeInstalled(type);
    }

    /** The pool parks the type's connections, keeping their consumers: the rules wait, attached, for its return. */
    synchronized void removeConnectorFactory(Map<String, Object> properties) {
        connectionTypes.computeIfPresent(connectionType(properties), (type, count) -> count == 1 ? null : count - 1);
    }

    private void connectionTypeInstalled(String type) {
        runs.values().forEach(run -> run.connectionTypeInstalled(type));
        startWaitingRules();
        retryWhereThePoolLags();
    }

    /**
     * The pool learns of a factory through a reference of its own, which may be told after this engine's: a
     * refusal for want of a type whose factory is registered is tried again shortly, until the pool has it.
     */
    private void retryWhereThePoolLags() {
        if (!active) {
            return;
        }
        Set<String> missing = new HashSet<>();
        runs.values().forEach(run -> missing.addAll(run.missingConnectionTypes()));
        startFailures.values().stream().map(StartFailure::missingType).filter(type -> type != null)
                .forEach(missing::add);
        lagRetries.keySet().retainAll(missing);
        for (String type : missing) {
            if (connectionTypes.containsKey(type) && lagRetriesScheduled.add(type)) {
                int retries = lagRetries.merge(type, 1, Integer::sum);
                long delay = Math.min(LAG_RETRY_LAST_MILLIS, LAG_RETRY_FIRST_MILLIS << Math.min(retries - 1, 7));
                cacheScheduler.schedule(() -> retryLagging(type), delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void retryLagging(String type) {
        lagRetriesScheduled.remove(type);
        if (active && connectionTypes.containsKey(type)) {
            connectionTypeInstalled(type);
        }
    }

    /** A failure to store the names is logged: they are masked until the next restart all the same. */
    private void declareSecrets(String type, Set<String> names) {
        try {
            secrets.declare(type, names);
        } catch (IOException e) {
            LOG.error("cannot store the secret props of type {}: {}", type, e.getMessage());
        }
    }

    /** The provider serving {@code type} changed: sources of that type close, and open on the new one if any. */
    private void sourceProviderChanged(String type) {
        runs.values().forEach(run -> run.sourceTypeRemoved(type));
        if (providers.source(type).isPresent()) {
            runs.values().forEach(run -> run.sourceTypeAdded(type));
            retryWhereThePoolLags();
        }
    }

    /** As {@link #sourceProviderChanged}, for sinks. */
    private void sinkProviderChanged(String type) {
        runs.values().forEach(run -> run.sinkTypeRemoved(type));
        if (providers.sink(type).isPresent()) {
            runs.values().forEach(run -> run.sinkTypeAdded(type));
            retryWhereThePoolLags();
        }
    }

    /**
     * A type came: rules the user wants running that could not start (their type was missing, e.g. a connector
     * bundle that started after this one, or its connection type missing in the pool) are started.
     */
    private void startWaitingRules() {
        if (!active) {
            return;
        }
        rules.values().stream()
                .filter(rule -> rule.triggered() && !runs.containsKey(rule.id()))
                .toList()
                .forEach(this::startRun);
    }

    // streams

    public StreamDefinition createStream(String sql) {
        StreamDefinition stream = parse(() -> Sql.parseStream(sql));
        providers.awaitSource(stream.type());
        return createStream(stream, sql);
    }

    private synchronized StreamDefinition createStream(StreamDefinition stream, String sql) {
        if (providers.source(stream.type()).isEmpty()) {
            throw RuleException.invalid("source type '" + stream.type() + "' is not installed; installed: "
                    + String.join(", ", providers.sourceTypes()));
        }
        if (streams.containsKey(stream.name())) {
            throw RuleException.conflict("stream " + stream.name() + " already exists");
        }
        Map<String, String> changed = new TreeMap<>(streams);
        changed.put(stream.name(), sql);
        save(changed, rules);
        streams.put(stream.name(), sql);
        return stream;
    }

    public synchronized List<String> streamNames() {
        return List.copyOf(streams.keySet());
    }

    /** The stream's definition and the statement that created it, as they may be shown (secrets masked). */
    public synchronized Map.Entry<StreamDefinition, String> stream(String name) {
        String sql = streams.get(name);
        if (sql == null) {
            throw RuleException.notFound("stream " + name + " is not found");
        }
        String shown = secrets.mask(sql);
        return Map.entry(Sql.parseStream(shown), shown);
    }

    public synchronized void deleteStream(String name) {
        if (!streams.containsKey(name)) {
            throw RuleException.notFound("stream " + name + " is not found");
        }
        List<String> users = rules.values().stream()
                .filter(rule -> Sql.parseSelect(rule.sql()).stream().equals(name))
                .map(RuleDefinition::id).toList();
        if (!users.isEmpty()) {
            throw RuleException.conflict("stream " + name + " is used by rules " + String.join(", ", users));
        }
        Map<String, String> changed = new TreeMap<>(streams);
        changed.remove(name);
        save(changed, rules);
        streams.remove(name);
    }

    // conf keys

    /** Every section of the type's conf keys, as they may be shown (secrets masked). */
    public Map<String, Map<String, Object>> confKeys(String type) {
        String installed = installedSourceType(type);
        Map<String, Map<String, Object>> shown = new TreeMap<>();
        sourceConfigurations.sections(installed)
                .forEach((key, section) -> shown.put(key, secrets.mask(installed, section)));
        return shown;
    }

    /** A masked value sent back (as a GET showed it) keeps the stored one. */
    public void putConfKey(String type, String key, Map<String, Object> props) {
        if (!ID.matcher(key).matches()) {
            throw RuleException.invalid("conf key '" + key
                    + "' contains invalid characters: only alphanumeric, hyphens and underscores are allowed");
        }
        String sourceType = installedSourceType(type);
        List<PropError> declared = pool.validateProps(sourceType, SchemaPart.SOURCE, props);
        List<PropError> problems = (declared.isEmpty() ? installedSourceProvider(sourceType).validate("", props)
                : declared).stream().filter(problem -> props.containsKey(problem.prop().split("\\.")[0])).toList();
        if (!problems.isEmpty()) {
            throw RuleException.invalid("invalid props of conf key " + key + ": " + describe(problems));
        }
        try {
            String installed = installedSourceType(type);
            Map<String, Object> stored = sourceConfigurations.sections(installed).getOrDefault(key, Map.of());
            sourceConfigurations.put(installed, key, secrets.restore(installed, props, stored));
        } catch (IllegalStateException e) {
            throw RuleException.invalid(e.getMessage());
        } catch (IOException e) {
            throw new RuleException(RuleException.Kind.INTERNAL, "cannot write conf key " + key + ": "
                    + e.getMessage(), e);
        }
    }

    public void deleteConfKey(String type, String key) {
        boolean found;
        try {
            found = sourceConfigurations.delete(installedSourceType(type), key);
        } catch (IOException e) {
            throw new RuleException(RuleException.Kind.INTERNAL, "cannot delete conf key " + key + ": "
                    + e.getMessage(), e);
        }
        if (!found) {
            throw RuleException.notFound("conf key " + key + " of source type " + type + " is not found");
        }
    }

    /** Callers hold no lock: while the runtime starts, the type's connector bundle may still be on its way. */
    private String installedSourceType(String type) {
        if (providers.awaitSource(type).isEmpty()) {
            throw RuleException.invalid("source type '" + type + "' is not installed; installed: "
                    + String.join(", ", providers.sourceTypes()));
        }
        return type.toLowerCase(Locale.ROOT);
    }

    // rules

    /** Stores the rule and starts it when it is triggered. */
    public void createRule(RuleDefinition rule) {
        awaitSinks(rule);
        createValidRule(rule);
    }

    private synchronized void createValidRule(RuleDefinition rule) {
        validate(rule);
        if (rules.containsKey(rule.id())) {
            throw RuleException.conflict("rule " + rule.id() + " already exists");
        }
        putRule(rule);
        if (rule.triggered()) {
            startRun(rule);
        }
    }

    /**
     * Replaces the rule; a running one is restarted with its new definition. An action's masked value sent back (as
     * a GET showed it) keeps the stored one.
     */
    public void updateRule(RuleDefinition sent) {
        awaitSinks(sent);
        updateValidRule(sent);
    }

    /** While the runtime starts, the connector bundles of the rule's sinks may not have started yet. */
    private void awaitSinks(RuleDefinition rule) {
        rule.actions().forEach(action -> providers.awaitSink(action.type()));
    }

    private synchronized void updateValidRule(RuleDefinition sent) {
        RuleDefinition old = existing(sent.id());
        RuleDefinition rule = withSecretsOf(old, sent);
        validate(rule);
        boolean wasRunning = runs.containsKey(rule.id());
        RuleDefinition updated = rule.withTriggered(old.triggered());
        putRule(updated);
        stopRun(rule.id());
        if (wasRunning || updated.triggered()) {
            startRun(updated);
        }
    }

    public synchronized void deleteRule(String id) {
        existing(id);
        stopRun(id);
        Map<String, RuleDefinition> changed = new TreeMap<>(rules);
        changed.remove(id);
        save(streams, changed);
        rules.remove(id);
        startFailures.remove(id);
        try {
            sourceStates.remove(id);
            SinkCache.deleteDirectory(cacheRoot.resolve(id));
        } catch (IOException e) {
            throw new RuleException(RuleException.Kind.INTERNAL,
                    "rule " + id + " is dropped but its source state or sink cache is not: " + e.getMessage(), e);
        }
    }

    private RuleDefinition withSecretsOf(RuleDefinition old, RuleDefinition sent) {
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < sent.actions().size(); i++) {
            Action action = sent.actions().get(i);
            Action stored = i < old.actions().size() ? old.actions().get(i) : null;
            actions.add(stored == null || !stored.type().equals(action.type()) ? action
                    : new Action(action.type(), secrets.restore(action.type(), action.props(), stored.props())));
        }
        return new RuleDefinition(sent.id(), sent.sql(), actions, sent.triggered(), sent.options());
    }

    /** The rule as it may be shown: its actions' secrets masked. */
    public synchronized RuleDefinition rule(String id) {
        RuleDefinition rule = existing(id);
        List<Action> shown = rule.actions().stream()
                .map(action -> new Action(action.type(), secrets.mask(action.type(), action.props())))
                .toList();
        return new RuleDefinition(rule.id(), rule.sql(), shown, rule.triggered(), rule.options());
    }

    public synchronized List<RuleSummary> rules() {
        return rules.keySet().stream().map(id -> new RuleSummary(id, secrets.mask(statusText(id)))).toList();
    }

    /** The rule's status text under {@code status}, then its metrics while it runs; texts with secrets masked. */
    public synchronized Map<String, Object> status(String id) {
        existing(id);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", statusText(id));
        RuleRun run = runs.get(id);
        if (run != null) {
            status.putAll(run.metrics());
        }
        status.replaceAll((key, value) -> value instanceof String text ? secrets.mask(text) : value);
        return status;
    }

    /** Starts a stopped rule; the failure to start, if any, is in its status and thrown. */
    public synchronized void start(String id) {
        RuleDefinition rule = existing(id).withTriggered(true);
        putRule(rule);
        if (!runs.containsKey(id)) {
            startRun(rule);
        }
        failIfNotStarted(id);
    }

    public synchronized void stop(String id) {
        putRule(existing(id).withTriggered(false));
        stopRun(id);
        startFailures.remove(id);
    }

    public synchronized void restart(String id) {
        RuleDefinition rule = existing(id).withTriggered(true);
        putRule(rule);
        stopRun(id);
        startRun(rule);
        failIfNotStarted(id);
    }

    private void failIfNotStarted(String id) {
        StartFailure failure = startFailures.get(id);
        if (failure != null) {
            throw RuleException.invalid("rule " + id + " failed to start: " + failure.message());
        }
    }

    private String statusText(String id) {
        if (runs.containsKey(id)) {
            return "running";
        }
        StartFailure failure = startFailures.get(id);
        return failure == null ? "stopped" : "stopped: " + failure.message();
    }

    private RuleDefinition existing(String id) {
        RuleDefinition rule = rules.get(id);
        if (rule == null) {
            throw RuleException.notFound("rule " + id + " is not found");
        }
        return rule;
    }

    private void putRule(RuleDefinition rule) {
        Map<String, RuleDefinition> changed = new TreeMap<>(rules);
        changed.put(rule.id(), rule);
        save(streams, changed);
        rules.put(rule.id(), rule);
    }

    private void validate(RuleDefinition rule) {
        if (rule.id() == null || rule.id().isEmpty()) {
            throw RuleException.invalid("rule id cannot be empty");
        }
        if (!ID.matcher(rule.id()).matches()) {
            throw RuleException.invalid("rule id '" + rule.id()
                    + "' contains invalid characters: only alphanumeric, hyphens and underscores are allowed");
        }
        SelectStatement select = parse(() -> Sql.parseSelect(rule.sql()));
        if (!streams.containsKey(select.stream())) {
            throw RuleException.invalid("stream " + select.stream() + " is not found");
        }
        StreamSchema schema = StreamSchema.of(Sql.parseStream(streams.get(select.stream())));
        try {
            select.checkFieldsDeclared(schema);
        } catch (SqlException e) {
            throw RuleException.invalid(e.getMessage());
        }
        if (rule.actions().isEmpty()) {
            throw RuleException.invalid("rule " + rule.id() + " has no actions");
        }
        for (Action action : rule.actions()) {
            SinkProvider provider = providers.sink(action.type()).orElseThrow(() -> RuleException.invalid(
                    "sink type '" + action.type() + "' is not installed; installed: "
                            + String.join(", ", providers.sinkTypes())));
            if (action.props().containsKey(SourceConfigurations.MISSPELT_SELECTOR)) {
                throw RuleException.invalid(SourceConfigurations.MISSPELT_SELECTOR
                        + " is not supported: the prop is spelt " + ConnectionPool.CONNECTION_SELECTOR);
            }
            try {
                action.cacheSettings();
            } catch (IllegalArgumentException e) {
                throw RuleException.invalid("invalid props of action " + action.type() + ": " + e.getMessage());
            }
            List<PropError> problems = pool.validateProps(action.type(), SchemaPart.SINK, action.sinkProps());
            if (problems.isEmpty()) {
                problems = provider.validate(action.sinkProps());
            }
            if (!problems.isEmpty()) {
                throw RuleException.invalid("invalid props of action " + action.type() + ": " + describe(problems));
            }
        }
    }

    /**
     * Starts a run of the rule; a failure is kept as the rule's status, never thrown. A rule the pool refused for
     * want of a connection type starts when the type's factory comes.
     */
    private void startRun(RuleDefinition rule) {
        startFailures.remove(rule.id());
        try {
            RuleRun run = newRun(rule);
            run.start();
            runs.put(rule.id(), run);
        } catch (Exception e) {
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.warn("rule {} failed to start: {}", rule.id(), secrets.mask(message));
            String missingType = Providers.missingConnectionType(e);
            startFailures.put(rule.id(), new StartFailure(message, missingType));
            if (missingType != null) {
                retryWhereThePoolLags();
            }
        }
    }

    /** @param missingType the connection type the pool did not have, null when the failure is another */
    private record StartFailure(String message, String missingType) {
    }

    private RuleRun newRun(RuleDefinition rule) {
        SelectStatement select = Sql.parseSelect(rule.sql());
        String streamSql = streams.get(select.stream());
        if (streamSql == null) {
            throw new IllegalStateException("stream " + select.stream() + " is not found");
        }
        StreamDefinition stream = Sql.parseStream(streamSql);
        Map<String, Object> sourceProps = sourceConfigurations.props(stream.type(), stream.confKey());
        List<PropError> problems = installedSourceProvider(stream.type()).validate(stream.datasource(), sourceProps);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid source of stream " + stream.name() + ": " + describe(problems));
        }
        Supplier<Source> newSource = () -> installedSourceProvider(stream.type())
                .create(stream.datasource(), sourceProps);
        Supplier<Source> sourceFactory = stream.shared()
                ? () -> sharedSources.computeIfAbsent(stream.name(), name -> new SharedSource(name, pool,
                        newSource, sourceStates, () -> sharedSources.remove(name))).subscription()
                : newSource;
        List<SinkNode> sinks = new ArrayList<>();
        for (int i = 0; i < rule.actions().size(); i++) {
            Action action = rule.actions().get(i);
            Supplier<Sink> sinkFactory = () -> providers.sink(action.type())
                    .orElseThrow(() -> new IllegalStateException(Providers.notInstalled(action.type())))
                    .create(action.sinkProps());
            sinks.add(SinkNode.of(rule.id(), i, action, sinkFactory, pool, gauges, cacheGauges, cacheRoot,
                    cacheScheduler, sinkOutagePatience));
        }
        return new RuleRun(rule.id(), stream, select, sourceFactory, sinks, rule.options(), workers, pool, gauges,
                sourceStates, secrets);
    }

    /**
     * How long a sink without {@code enableCache} holds what it could not send through an outage (rules started
     * from now on); {@link SinkNode#OUTAGE_PATIENCE} by default.
     */
    synchronized void sinkOutagePatience(Duration patience) {
        sinkOutagePatience = patience;
    }

    /** No resend of a sink cache is scheduled or running: what the stopped rules' caches started is over. */
    boolean cacheSchedulerIdle() {
        return cacheScheduler.getQueue().isEmpty() && cacheScheduler.getActiveCount() == 0;
    }

    private SourceProvider installedSourceProvider(String type) {
        return providers.source(type).orElseThrow(() -> new IllegalStateException(Providers.notInstalled(type)));
    }

    private void stopRun(String id) {
        RuleRun run = runs.remove(id);
        if (run != null) {
            run.stop();
        }
    }

    private void save(Map<String, String> newStreams, Map<String, RuleDefinition> newRules) {
        try {
            store.save(new StoredState(newStreams, List.copyOf(newRules.values())));
        } catch (IOException e) {
            throw new RuleException(RuleException.Kind.INTERNAL, "cannot write the rule store: " + e.getMessage(), e);
        }
    }

    private static <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (SqlException e) {
            throw RuleException.invalid(e.getMessage());
        }
    }

    private static String describe(List<PropError> problems) {
        return problems.stream().map(p -> p.prop() + ": " + p.message()).collect(Collectors.joining("; "));
    }

    private static String type(Map<String, Object> properties) {
        return String.valueOf(properties.get(ConnectorFactory.TYPE_PROPERTY));
    }

    /** As the pool names a factory's type. */
    private static String connectionType(Map<String, Object> properties) {
        return type(properties).strip().toLowerCase(Locale.ROOT);
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    /** Services added outside the framework (tests) have none: they count as the newest. */
    private static long serviceId(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_ID) instanceof Long id ? id : Long.MAX_VALUE;
    }

    /**
     * As core.pool finds its directories: the pool's configuration, else the framework property, else the
     * environment variable, else the default.
     */
    private static Path directory(String configured, BundleContext context, String property, String variable,
            String fallback) {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String value = context.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return Path.of(value == null || value.isBlank() ? fallback : value);
    }
}
