import type { Catalog } from './en';
import { esAdmin, esOutcomes } from './es.admin';
import { esErrors } from './es.errors';
import { esZones } from './es.zones';
import { esSeries } from './es.series';
import { esCalendar } from './es.calendar';
import { esPicker } from './es.picker';
import { esCourse } from './es.course';
import { esChrome } from './es.chrome';
import { esSetup } from './es.setup';
import { esAttendance } from './es.attendance';
import { esNextTerm } from './es.nextterm';
import { esJoin } from './es.join';
import { esImport } from './es.import';
import { esSectionErrors, esSections } from './es.sections';
import { esRecordings } from './es.recordings';
import { esHandover } from './es.handover';

/** Español. */
export const es: Catalog = {
  page: {
    brand: 'Zoom para {{course}}',
    hello: 'Hola, {{name}}',
    role: 'Participas en este curso como <strong>{{role}}</strong>.',
    roleTa: 'Participas en este curso como <strong>{{role}}</strong> (profesor asistente).',
    roles: {
      administrator: 'Administrador',
      instructor: 'Profesor',
      learner: 'Estudiante',
      none: 'Invitado',
    },
    skip: 'Ir al contenido',
    back: 'Volver al curso',
    backToList: 'Volver a las clases',
    noRole:
      'Tu rol en este curso no da acceso a sus clases. Si es un error, pide a tu profesor que revise tu matrícula.',
  },
  zoom: {
    heading: 'El Zoom de tu institución',
    connected: 'Zoom está conectado.',
    reconnectAdmin:
      '<strong>Hay que volver a conectar Zoom</strong>: Zoom ya no acepta el acceso de la herramienta. Los profesores no pueden programar clases hasta que lo vuelvas a conectar.',
    notConnectedAdmin:
      'Zoom aún no está conectado. Los profesores no pueden programar clases hasta que conectes la cuenta de Zoom de tu institución.',
    manage: 'Gestionar la conexión con Zoom',
    people: 'Usuarios de Zoom de los profesores de tu institución',
    reconnectInstructor:
      'Un administrador de tu institución debe renovar la conexión con Zoom antes de que se puedan programar clases; mientras tanto no se pierde nada. Avisa a tu administrador del LMS o de Zoom.',
    notConnectedInstructor:
      'Tu institución aún no ha conectado su cuenta de Zoom a esta herramienta. Pide a tu administrador del LMS o de Zoom que abra esta herramienta como administrador y conecte Zoom.',
    whatToDo: 'Qué hacer:',
  },
  meetings: {
    heading: 'Clases por Zoom',
    upcoming: 'Próximas clases',
    past: 'Clases anteriores',
    none: 'Todavía no hay clases programadas.',
    noneStudent: 'Todavía no hay clases programadas. Aparecerán aquí, cada una con su enlace para unirse.',
    nonePast: 'No hay clases anteriores.',
    startsIn: 'Empieza {{relative}}',
    dueNotStarted: 'Debía empezar {{relative}}; el anfitrión aún no la ha iniciado',
    inProgress: 'En curso',
    beingScheduled: 'Programándose…',
    failed: {
      badge: 'No programada',
      explain:
        'Zoom no confirmó esta clase y la herramienta no la encontró en tu cuenta de Zoom. Reintentar la busca de nuevo y se la pide a Zoom una vez más; Eliminar la quita de aquí (no se cambia nada en Zoom). Los estudiantes no la ven.',
      retry: 'Reintentar',
      retryLabel: 'Reintentar la programación de «{{topic}}»',
      delete: 'Eliminar',
      deleteLabel: 'Eliminar «{{topic}}» de aquí (no se cambia nada en Zoom)',
    },
    reconcileError:
      'No se pudo consultar esta clase en Zoom el {{when}} ({{reason}}); lo que se muestra puede no estar al día. Se intentará de nuevo en la próxima comprobación.',
    join: 'Unirse',
    joinLabel: 'Unirse a «{{topic}}» en Zoom (se abre en una ventana nueva)',
    start: 'Iniciar',
    startLabel: 'Iniciar «{{topic}}» en Zoom',
    edit: 'Editar',
    editLabel: 'Editar «{{topic}}»',
    delete: 'Eliminar',
    deleteLabel: 'Eliminar «{{topic}}»',
    deleteOccurrenceLabel: 'Eliminar la sesión del {{when}} de «{{topic}}»',
    copyInvitation: 'Copiar invitación',
    copyInvitationLabel: 'Copiar la invitación a «{{topic}}»',
    copied: 'Invitación copiada.',
    invitation:
      '{{host}} te invita a una reunión de Zoom programada.\n\nTema: {{topic}}\nHora: {{time}}\n\nUnirse a la reunión de Zoom\n{{joinUrl}}\n\nID de reunión: {{meetingId}}',
    invitationPasscode: 'Código de acceso: {{passcode}}',
    invitationHeading: 'Invitación',
    onlyHostStarts:
      'Solo el anfitrión, {{host}}, puede iniciar esta clase; únete como anfitrión alternativo.',
    duration: '{{minutes}} min',
    passcode: 'Código de acceso: {{passcode}}',
    nextOccurrences: 'Próximas sesiones',
    repeatsDaily: 'Todos los días',
    repeatsWeekly: 'Cada semana: {{days}}',
    repeatsMonthly: 'Cada mes el día {{day}}',
    repeatsMonthlyLastDay: 'Cada mes el día {{day}} (el último día en los meses más cortos)',
    occurrencesLeft_one: 'Queda {{count}} sesión',
    occurrencesLeft_other: 'Quedan {{count}} sesiones',
    recordings: 'Grabaciones',
    watchRecording: 'Ver la grabación del {{when}}',
    noRecordings: 'Todavía no hay grabación en la nube.',
    showRecordings: 'Mostrar las grabaciones a los estudiantes',
    saveRecordingsChoice: 'Guardar',
    recordingsShown: 'Los estudiantes ven las grabaciones de esta clase.',
    recordingsHidden: 'Los estudiantes no ven las grabaciones de esta clase.',
    timesIn: 'Las horas se muestran en {{zone}}.',
    notReady: 'Podrás programar clases aquí cuando tu usuario de Zoom esté listo (ver arriba).',
    calendar: {
      heading: 'Calendario del curso',
      intro:
        'Suscríbete a las clases de este curso en tu aplicación de calendario (el enlace se actualiza solo).',
      rotate: 'Crear un enlace de calendario nuevo',
      rotateHint: 'El enlace anterior deja de funcionar: quien se haya suscrito tendrá que volver a hacerlo.',
    },
    notices: {
      scheduled: 'La clase «{{topic}}» está programada.',
      updated: 'La clase «{{topic}}» está actualizada.',
      deleted: 'La clase «{{topic}}» se eliminó.',
      occurrenceDeleted: 'Se eliminó una sesión de «{{topic}}».',
      recordings: 'Se guardó la visibilidad de las grabaciones.',
      feedRotated: 'Se creó un enlace de calendario nuevo; el anterior ya no funciona.',
      pending:
        'Zoom aún no confirmó «{{topic}}». La herramienta lo comprobará en un momento: vuelve a cargar esta página.',
      pendingPick:
        'Zoom aún no confirmó «{{topic}}», así que no se añadió a tu curso. La herramienta lo comprobará en un momento: vuelve a cargar esta página y añádela desde la lista cuando aparezca allí.',
      usageWarning:
        'Has hecho {{count}} de los 100 cambios de clases que Zoom te permite por día. El contador vuelve a empezar el {{reset}}.',
      usageWarningOfHost:
        '{{host}} ha hecho {{count}} de los 100 cambios de clases que Zoom le permite por día. El contador vuelve a empezar el {{reset}}.',
    },
    form: {
      heading: 'Programar una clase',
      editHeading: 'Editar «{{topic}}»',
      topic: 'Tema',
      topicHint: 'Como máximo 200 caracteres.',
      date: 'Fecha',
      startTime: 'Hora de inicio',
      duration: 'Duración (minutos)',
      timeZone: 'Zona horaria',
      repeats: 'Se repite',
      never: 'Nunca',
      daily: 'Cada día',
      weekly: 'Cada semana',
      monthly: 'Cada mes',
      on: 'Los días',
      ends: 'Termina',
      onDate: 'En la fecha',
      after: 'Después de',
      occurrences: 'sesiones',
      endDate: 'Fecha de fin',
      endAfter: 'Número de sesiones',
      passcode: 'Código de acceso',
      passcodeHint:
        'Hasta 10 letras, dígitos o @ - _ *. Déjalo vacío si no quieres código; si el Zoom de tu institución exige uno, Zoom lo crea y se muestra con la clase.',
      waitingRoom: 'Sala de espera',
      joinBeforeHost: 'Permitir que los participantes entren antes que el anfitrión',
      autoRecord: 'Grabar automáticamente en la nube',
      alternativeHosts: 'Anfitriones alternativos',
      alternativeHostsHint:
        'Profesores de este curso que son usuarios activos y con licencia de la cuenta de Zoom de tu institución.',
      noAlternativeHosts: 'Ningún otro profesor de este curso puede ser anfitrión alternativo.',
      submit: 'Programar clase',
      save: 'Guardar cambios',
      cancel: 'Cancelar',
      errorsHeading: 'Corrige lo siguiente:',
      weekdays: {
        '1': 'domingo',
        '2': 'lunes',
        '3': 'martes',
        '4': 'miércoles',
        '5': 'jueves',
        '6': 'viernes',
        '7': 'sábado',
      },
    },
    hostReasons: {
      self: 'Eres el anfitrión de esta clase.',
      noEmail: 'El LMS no compartió el correo de esta persona.',
      notInAccount: 'No es usuario de la cuenta de Zoom de tu institución.',
      notLicensed:
        'No es un usuario de Zoom con licencia (Zoom exige licencia a los anfitriones alternativos).',
      notActive: 'Su usuario de Zoom aún no está activo.',
      unknown: 'No se pudo consultar a Zoom en este momento.',
    },
    deletion: {
      heading: '¿Eliminar «{{topic}}»?',
      single: 'La clase también se elimina en Zoom; su enlace para unirse deja de funcionar.',
      recurring: 'Es una clase periódica. ¿Qué quieres eliminar?',
      thisOccurrence: 'Esta sesión',
      allOccurrences: 'Todas las sesiones',
      confirm: 'Eliminar clase',
    },
    errors: {
      intent: 'El formulario está desactualizado: vuelve a cargar la página e inténtalo de nuevo.',
      topic_required: 'Escribe un tema.',
      topic_too_long: 'El tema tiene {{length}} caracteres; puede tener como máximo 200. Acórtalo.',
      date_invalid: 'Escribe una fecha.',
      date_past: 'La fecha y la hora de inicio ya pasaron.',
      time_invalid: 'Escribe una hora de inicio que exista ese día en esa zona horaria.',
      duration_invalid: 'Escribe una duración de 1 a 1440 minutos (24 horas).',
      zone_invalid: 'Elige una zona horaria de la lista.',
      repeats_invalid: 'Elige cómo se repite la clase.',
      weekday_invalid: 'Elige días de la semana de la lista.',
      weekday_required: 'Elige al menos un día de la semana.',
      ends_invalid: 'Elige cuándo termina la serie.',
      end_date_invalid: 'Escribe la fecha en que termina la serie.',
      end_date_before_start: 'La serie no puede terminar antes de empezar.',
      end_after_invalid: 'Escribe cuántas veces tiene lugar la clase.',
      too_many_occurrences: 'Zoom permite como máximo 50 sesiones en una serie.',
      too_many_occurrences_until:
        'Esta serie tendría {{count}} sesiones; Zoom solo guarda las primeras 50, la última el {{last, datetime(dateStyle: long; timeZone: UTC)}}, y descarta el resto. Haz que termine el {{last, datetime(dateStyle: long; timeZone: UTC)}} o antes.',
      too_many_occurrences_until_far:
        'Esta serie tendría más de {{count}} sesiones; Zoom solo guarda las primeras 50, la última el {{last, datetime(dateStyle: long; timeZone: UTC)}}, y descarta el resto. Haz que termine el {{last, datetime(dateStyle: long; timeZone: UTC)}} o antes.',
      passcode_invalid: 'El código de acceso puede tener como máximo 10 letras, dígitos o @ - _ *.',
      alternative_host_invalid: 'Elige los anfitriones alternativos de la lista.',
      alternative_host_not_allowed:
        'Los anfitriones alternativos deben ser usuarios activos y con licencia de la cuenta de Zoom de tu institución.',
      zoom_refused_field:
        'Zoom no aceptó este valor de «{{label}}»: corrígelo y envía el formulario de nuevo.',
      ...esSectionErrors,
    },
    /** Zoom rechazó programar o editar: el formulario se muestra de nuevo con lo escrito. */
    refusals: {
      field: {
        what: 'Zoom no aceptó la clase: rechazó «{{label}}», así que no se programó ni cambió nada. Zoom dijo: {{message}}',
        next: 'Corrige «{{label}}» abajo y envía el formulario de nuevo; el resto de lo que escribiste se conserva.',
      },
      invalid: {
        what: 'Zoom no aceptó la clase, así que no se programó ni cambió nada. Zoom dijo: {{message}}',
        next: 'Revisa los valores de abajo y envía el formulario de nuevo; lo que escribiste se conserva.',
      },
      notFound: {
        what: 'Zoom no encontró tu usuario de Zoom o esta clase, así que no se programó ni cambió nada.',
        next: 'Vuelve a cargar la página del curso y envía el formulario de nuevo; si vuelve a ocurrir, pide al administrador de Zoom de tu institución que revise tu usuario de Zoom.',
      },
      busy: {
        what: 'Zoom está ocupado: pidió a la herramienta que vaya más despacio, así que no se programó ni cambió nada.',
        next: 'Envía el formulario de nuevo en un minuto; lo que escribiste se conserva abajo.',
      },
      dailyLimit: {
        what: 'Se alcanzó el límite diario de Zoom para este anfitrión: Zoom permite 100 cambios de clases por anfitrión y por día, así que no se programó ni cambió nada.',
        next: 'Inténtalo de nuevo después del {{reset}}, cuando Zoom vuelve a empezar a contar. Lo que escribiste se conserva abajo.',
      },
      unavailable: {
        what: 'Zoom no respondió, así que no se programó ni cambió nada.',
        next: 'Envía el formulario de nuevo en unos minutos; status.zoom.us indica si el propio Zoom tiene problemas.',
      },
    },
  },
  outcomes: esOutcomes,
  admin: esAdmin,
  deepLinking: {
    title: 'Añadir una clase por Zoom a tu curso',
    intro: 'Elige una clase de este curso o programa una nueva: se añade a tu curso como un enlace.',
    existing: 'Clases de este curso',
    add: 'Añadir al curso',
    addLabel: 'Añadir «{{topic}}» al curso',
    scheduleAndAdd: 'Programar clase',
    returning: 'Añadiendo la clase a tu curso…',
    returnButton: 'Añadir al curso',
    added: 'Se añadió «{{topic}}»',
  },
  errors: esErrors,
  zones: esZones,
  series: esSeries,
  calendar: esCalendar,
  picker: esPicker,
  course: esCourse,
  chrome: esChrome,
  setup: esSetup,
  attendance: esAttendance,
  nextTerm: esNextTerm,
  join: esJoin,
  handover: esHandover,
  import: esImport,
  sections: esSections,
  recordings: esRecordings,
};
