package dev.tollgate.json;

import dev.tollgate.errors.BadRequestException;
import dev.tollgate.spec.DeploymentSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * Checks that a request read from JSON has every field it needs: a record component that is null
 * and not marked {@link Nullable} is refused with its path, so a malformed event fails as a bad
 * request instead of a NullPointerException deep in a service.
 */
public final class Completeness {

    private Completeness() {}

    /** The field's name in the event: its {@code @JsonProperty} name where it has one. */
    private static String jsonName(RecordComponent component) {
        com.fasterxml.jackson.annotation.JsonProperty renamed =
                component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        if (renamed == null) {
            renamed = component.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
        }
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
    }

    public static void check(Object value, String path) {
        if (value == null || value instanceof DeploymentSpec) {
            // A spec is checked whole by SpecValidator when it is read.
            return;
        }
        if (value instanceof Collection<?> collection) {
            int index = 0;
            for (Object element : collection) {
                if (element == null) {
                    throw new BadRequestException("the event has a null element at " + path + "[" + index + "]");
                }
                check(element, path + "[" + index++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getValue() == null) {
                    throw new BadRequestException("the event has a null value at " + path + "." + entry.getKey());
                }
                check(entry.getValue(), path + "." + entry.getKey());
            }
            return;
        }
        if (!value.getClass().isRecord()) {
            return;
        }
        for (RecordComponent component : value.getClass().getRecordComponents()) {
            Object child;
            try {
                child = component.getAccessor().invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
            String childPath = path + "." + jsonName(component);
            if (child == null && !component.isAnnotationPresent(Nullable.class)) {
                throw new BadRequestException("the event has no '" + childPath.substring(1) + "'");
            }
            check(child, childPath);
        }
    }
}
