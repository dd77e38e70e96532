package io.tether.pool.internal.rest;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.ws.rs.core.Application;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.GenericType;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Link;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.NewCookie;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.Variant;
import javax.ws.rs.core.Variant.VariantListBuilder;
import javax.ws.rs.ext.RuntimeDelegate;

/**
 * Just enough of a JAX-RS implementation for {@link Response} building in plain unit tests (the JAX-RS API alone
 * has none; CXF provides it at run time): status, entity, headers and {@code Allow}.
 */
final class FakeRuntimeDelegate extends RuntimeDelegate {

    private static final FakeRuntimeDelegate INSTANCE = new FakeRuntimeDelegate();

    static void install() {
        RuntimeDelegate.setInstance(INSTANCE);
    }

    @Override
    public Response.ResponseBuilder createResponseBuilder() {
        return new Builder();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> HeaderDelegate<T> createHeaderDelegate(Class<T> type) {
        if (type == MediaType.class) {
            return (HeaderDelegate<T>) new MediaTypeDelegate();
        }
        throw new UnsupportedOperationException("header delegate for " + type);
    }

    @Override
    public UriBuilder createUriBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public VariantListBuilder createVariantListBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T createEndpoint(Application application, Class<T> endpointType) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Link.Builder createLinkBuilder() {
        throw new UnsupportedOperationException();
    }

    private static final class MediaTypeDelegate implements HeaderDelegate<MediaType> {
        @Override
        public MediaType fromString(String value) {
            String[] parts = value.split(";");
            String[] typeAndSubtype = parts[0].trim().split("/");
            Map<String, String> parameters = Arrays.stream(parts).skip(1).map(p -> p.trim().split("=", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> p[1]));
            return new MediaType(typeAndSubtype[0], typeAndSubtype[1], parameters);
        }

        @Override
        public String toString(MediaType value) {
            return value.getType() + "/" + value.getSubtype() + value.getParameters().entrySet().stream()
                    .map(e -> "; " + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
        }
    }

    private static final class Builder extends Response.ResponseBuilder {
        private int status = 200;
        private Object entity;
        private final MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();

        @Override
        public Response build() {
            return new FakeResponse(status, entity, headers);
        }

        @Override
        public Response.ResponseBuilder clone() {
            Builder copy = new Builder();
            copy.status = status;
            copy.entity = entity;
            copy.headers.putAll(headers);
            return copy;
        }

        @Override
        public Response.ResponseBuilder status(int status) {
            this.status = status;
            return this;
        }

        @Override
        public Response.ResponseBuilder status(int status, String reasonPhrase) {
            return status(status);
        }

        @Override
        public Response.ResponseBuilder entity(Object entity) {
            this.entity = entity;
            return this;
        }

        @Override
        public Response.ResponseBuilder entity(Object entity, Annotation[] annotations) {
            return entity(entity);
        }

        @Override
        public Response.ResponseBuilder allow(String... methods) {
            return allow(Set.of(methods));
        }

        @Override
        public Response.ResponseBuilder allow(Set<String> methods) {
            headers.putSingle(HttpHeaders.ALLOW, String.join(",", methods));
            return this;
        }

        @Override
        public Response.ResponseBuilder header(String name, Object value) {
            headers.add(name, value);
            return this;
        }

        @Override
        public Response.ResponseBuilder type(MediaType type) {
            headers.putSingle(HttpHeaders.CONTENT_TYPE, type);
            return this;
        }

        @Override
        public Response.ResponseBuilder type(String type) {
            return type(MediaType.valueOf(type));
        }

        @Override
        public Response.ResponseBuilder cacheControl(CacheControl cacheControl) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder encoding(String encoding) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder replaceAll(MultivaluedMap<String, Object> headers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder language(String language) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder language(Locale language) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder variant(Variant variant) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder contentLocation(URI location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder cookie(NewCookie... cookies) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder expires(Date expires) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder lastModified(Date lastModified) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder location(URI location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder tag(EntityTag tag) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder tag(String tag) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder variants(Variant... variants) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder variants(List<Variant> variants) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder links(Link... links) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder link(URI uri, String rel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder link(String uri, String rel) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class FakeResponse extends Response {
        private final int status;
        private final Object entity;
        private final MultivaluedMap<String, Object> headers;

        FakeResponse(int status, Object entity, MultivaluedMap<String, Object> headers) {
            this.status = status;
            this.entity = entity;
            this.headers = new MultivaluedHashMap<>();
            this.headers.putAll(headers);
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public StatusType getStatusInfo() {
            StatusType known = Status.fromStatusCode(status);
            return known != null ? known : new StatusType() {
                @Override
                public int getStatusCode() {
                    return status;
                }

                @Override
                public Status.Family getFamily() {
                    return Status.Family.familyOf(status);
                }

                @Override
                public String getReasonPhrase() {
                    return "";
                }
            };
        }

        @Override
        public Object getEntity() {
            return entity;
        }

        @Override
        public boolean hasEntity() {
            return entity != null;
        }

        @Override
        public MediaType getMediaType() {
            return (MediaType) headers.getFirst(HttpHeaders.CONTENT_TYPE);
        }

        @Override
        public Set<String> getAllowedMethods() {
            String allow = getHeaderString(HttpHeaders.ALLOW);
            return allow == null ? Set.of() : new HashSet<>(Arrays.asList(allow.split(",")));
        }

        @Override
        public MultivaluedMap<String, Object> getMetadata() {
            return headers;
        }

        @Override
        public String getHeaderString(String name) {
            List<Object> values = headers.get(name);
            return values == null ? null
                    : values.stream().map(v -> v instanceof MediaType type ? new MediaTypeDelegate().toString(type)
                            : String.valueOf(v)).collect(Collectors.joining(","));
        }

        @Override
        public <T> T readEntity(Class<T> entityType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T readEntity(GenericType<T> entityType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T readEntity(Class<T> entityType, Annotation[] annotations) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T readEntity(GenericType<T> entityType, Annotation[] annotations) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean bufferEntity() {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public Locale getLanguage() {
            return null;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public Map<String, NewCookie> getCookies() {
            return Map.of();
        }

        @Override
        public EntityTag getEntityTag() {
            return null;
        }

        @Override
        public Date getDate() {
            return null;
        }

        @Override
        public Date getLastModified() {
            return null;
        }

        @Override
        public URI getLocation() {
            return null;
        }

        @Override
        public Set<Link> getLinks() {
            return Set.of();
        }

        @Override
        public boolean hasLink(String relation) {
            return false;
        }

        @Override
        public Link getLink(String relation) {
            return null;
        }

        @Override
        public Link.Builder getLinkBuilder(String relation) {
            return null;
        }

        @Override
        public MultivaluedMap<String, String> getStringHeaders() {
            MultivaluedMap<String, String> strings = new MultivaluedHashMap<>();
            headers.keySet().forEach(name -> strings.add(name, getHeaderString(name)));
            return strings;
        }
    }
}
