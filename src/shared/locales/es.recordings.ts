import type { enRecordings } from './en.recordings';

/** Textos en español de las grabaciones ocultas y sus enlaces (en es.ts como `recordings`). */
export const esRecordings: typeof enRecordings = {
  hiddenLabel: 'Oculta a los estudiantes',
  hide: 'Ocultar',
  show: 'Mostrar',
  retry: 'Reintentar',
  retryLabel: 'Reintentar el cambio del uso compartido en Zoom de la grabación de {{topic}} del {{when}}',
  hideLabel: 'Ocultar a los estudiantes la grabación de {{topic}} del {{when}}',
  showLabel: 'Mostrar a los estudiantes la grabación de {{topic}} del {{when}}',
  state: {
    revoking: 'Desactivando el uso compartido en Zoom…',
    revoked: 'El uso compartido en Zoom está desactivado: un enlace guardado ya no se reproduce.',
    restoring: 'Compartiéndola de nuevo en Zoom con un código nuevo…',
  },
  error: {
    heading: 'No se cambió el uso compartido en Zoom.',
    connection:
      'La conexión de la escuela con Zoom no puede cambiar grabaciones. Pida al administrador de Zoom de la escuela que vuelva a conectar Zoom con el permiso de grabaciones (recording:write:admin); mientras tanto lo reintentamos solos.',
    refused:
      'Zoom rechazó el cambio. Pulse Reintentar; si Zoom lo rechaza de nuevo, cambie usted el uso compartido en Zoom (Grabaciones › la grabación › Compartir).',
    unavailable:
      'Zoom no respondió. Lo reintentamos solos durante los próximos minutos; si sigue así, pulse Reintentar más tarde.',
    gone: 'Zoom ya no tiene esta grabación (se eliminó en Zoom). No se puede compartir; puede dejarla oculta.',
  },
  title: 'Grabación',
  hiddenHeading: 'Esta grabación no está disponible',
  hiddenStudent:
    'Su docente ocultó esta grabación o no comparte las grabaciones de esta reunión. Pregunte a su docente si la necesita.',
  hiddenStaff:
    'Esta grabación está oculta a los estudiantes y su uso compartido en Zoom está desactivado. Muéstrela en la página del curso para verla con este enlace.',
  pendingHeading: 'Esta grabación se está preparando',
  pending: 'Zoom la está compartiendo de nuevo con un código nuevo. Inténtelo de nuevo en un minuto.',
  unavailableHeading: 'Esta grabación no se puede abrir ahora',
  unavailable: 'No se pudo activar su uso compartido en Zoom. Inténtelo más tarde o pregunte a su docente.',
  back: 'Volver a las reuniones de la clase',
};
