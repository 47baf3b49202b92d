/**
 * The admin command line ({@code bin/est-admin}): development PKI setup and, later, CA and keystore tools. Runs from
 * the WAR's classes and libraries; needs no servlet container.
 */
package org.openest.est.cli;
